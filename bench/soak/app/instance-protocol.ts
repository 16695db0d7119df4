/**
 * What the soak's driver (driver.ts) and the app under soak (instance.ts) say to each
 * other, one JSON object a line: an IPC call as the UI makes it, a bounded wait for the
 * app's state to match, a checkpoint (heap after full GCs and the app's sizes), quit.
 */
import { z } from 'zod';
import type { AppState } from '../../../shared/ipc/app-state';

export const UntilSchema = z
  .object({
    /** My party's id (null: in none). */
    party: z.string().nullable().optional(),
    /** Members my party must list, and must not. */
    members: z.array(z.string()).optional(),
    absent: z.array(z.string()).optional(),
    /** Exactly this many members. */
    count: z.number().int().optional(),
    /** People waiting for my answer, by peer id. */
    requests: z.array(z.string()).optional(),
    status: z.string().optional(),
    /** At least this many connections made (the first one counts). */
    connects: z.number().int().optional(),
  })
  .strict();
export type Until = z.infer<typeof UntilSchema>;

export const CommandSchema = z.discriminatedUnion('op', [
  z.object({ id: z.number(), op: z.literal('call'), channel: z.string(), request: z.unknown() }),
  z.object({
    id: z.number(),
    op: z.literal('wait'),
    until: UntilSchema,
    timeout_ms: z.number().int().min(1).max(120_000),
  }),
  /** `snapshot`: also write a heap snapshot to this path. */
  z.object({ id: z.number(), op: z.literal('checkpoint'), snapshot: z.string().optional() }),
  /** What the rows that grow by design cost per entry (by-design.ts). */
  z.object({ id: z.number(), op: z.literal('costs') }),
  z.object({ id: z.number(), op: z.literal('quit') }),
]);
export type Command = z.infer<typeof CommandSchema>;
/** A command as the driver writes it, before it is given an id. */
export type CommandBody = Command extends infer C
  ? C extends Command
    ? Omit<C, 'id'>
    : never
  : never;

export const ReplySchema = z.union([
  z.object({ ready: z.literal(true), peer_id: z.string() }),
  z.object({
    id: z.number().nullable(),
    ok: z.boolean(),
    result: z.unknown().optional(),
    error: z.string().optional(),
  }),
]);

/** Whether the app's state is what `until` asks for. */
export function matches(state: AppState, until: Until, connects: number): boolean {
  const party = state.party;
  const peers = party?.peers ?? {};
  const waiting = new Set(state.join_requests.map((r) => r.peer_id));
  return (
    (until.party === undefined || (party?.party_id ?? null) === until.party) &&
    (until.members ?? []).every((id) => id in peers) &&
    (until.absent ?? []).every((id) => !(id in peers)) &&
    (until.count === undefined || Object.keys(peers).length === until.count) &&
    (until.requests ?? []).every((id) => waiting.has(id)) &&
    (until.status === undefined || state.status.state === until.status) &&
    (until.connects === undefined || connects >= until.connects)
  );
}
