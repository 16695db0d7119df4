/**
 * `npx tsx bench/tools/profile-top.ts FILE.cpuprofile [--top 30]`
 * Reads a V8 CPU profile (node --cpu-prof) and prints the functions with the most self time,
 * and the total time under a few frames of interest (inclusive), to find where a server
 * spends its CPU.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const NodeSchema = z.object({
  id: z.number(),
  callFrame: z.object({
    functionName: z.string(),
    url: z.string(),
    lineNumber: z.number(),
  }),
  children: z.array(z.number()).optional(),
});
const ProfileSchema = z.object({
  nodes: z.array(NodeSchema),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});
type ProfileNode = z.infer<typeof NodeSchema>;

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*\/(node_modules\/)?/, '');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

/** Self time per node id in ms (each sample's delta belongs to the sampled node). */
function selfTimes(profile: z.infer<typeof ProfileSchema>): Map<number, number> {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return self;
}

function main(): void {
  const { values, positionals } = parseArgs({
    options: { top: { type: 'string' } },
    allowPositionals: true,
  });
  const file = z.string().min(1).parse(positionals[0]);
  const top = z.coerce.number().int().positive().default(30).parse(values.top);
  const profile = ProfileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const self = selfTimes(profile);
  const byLabel = new Map<string, number>();
  for (const node of profile.nodes) {
    const key = label(node);
    byLabel.set(key, (byLabel.get(key) ?? 0) + (self.get(node.id) ?? 0));
  }
  const total = (profile.endTime - profile.startTime) / 1000;
  const idle = [...byLabel].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, v]) => a + v, 0);
  console.log(`profile ${total.toFixed(0)} ms, busy ${(total - idle).toFixed(0)} ms`);
  const rows = [...byLabel].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, ms] of rows) {
    console.log(
      `${ms.toFixed(1).padStart(9)} ms ${((ms / total) * 100).toFixed(1).padStart(5)} %  ${key}`,
    );
  }
}

main();
