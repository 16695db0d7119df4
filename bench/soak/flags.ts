/**
 * The flags the three soaks share: how long they run, where their snapshots and results go,
 * and their smoke size (CI's proof that each runs).
 */
import { z } from 'zod';

/** `whose`: whose heap the snapshots hold; `smokeCycles`: the smoke's warm-up and segment. */
export function soakFlags(whose: string, smokeCycles: number) {
  return {
    warmup: z.coerce
      .number()
      .int()
      .min(10)
      .max(100_000)
      .default(200)
      .describe('K: cycles before the first reading, and between two'),
    segments: z.coerce.number().int().min(1).max(50).default(5).describe('S: readings after it'),
    snapshots: z
      .string()
      .min(1)
      .optional()
      .describe(`a folder for ${whose} heap snapshots at the first and last readings`),
    out: z.string().min(1).optional().describe('results JSON'),
    smoke: z
      .boolean()
      .default(false)
      .describe(
        `${smokeCycles} cycles, then ${smokeCycles} more ` +
          '(CI proves it runs; its heap figures mean little)',
      ),
  };
}
