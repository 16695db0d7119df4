/**
 * `npx tsx bench/tools/profile-top.ts FILE.cpuprofile [flags]` (`--help` lists them).
 * Where a server spends its CPU, from a V8 CPU profile (node --cpu-prof): the functions with
 * the most self time, or one function's inclusive time by caller, over the whole run or one
 * window of it (a bench's phases differ; `--timeline` shows where each is).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  busiestWindow,
  callersOf,
  readProfile,
  selfTimes,
  timeline,
  type Profile,
  type Window,
} from './profile-read';

const HELP = `npx tsx bench/tools/profile-top.ts FILE.cpuprofile [flags]

  --top N          how many functions to list (default 30)
  --from S --to S  only the samples from S to S seconds after the profile's start
  --busiest S      only the busiest S seconds of the run (a bench's churn phase)
  --timeline       the busy share of each half second instead (to find a phase)
  --callers NAME   NAME's inclusive time by the function that called it instead
  --help           this text`;

const ArgsSchema = z
  .object({
    file: z.string().min(1, 'name a .cpuprofile file'),
    top: z.coerce.number().int().positive().default(30),
    from: z.coerce.number().min(0).optional(),
    to: z.coerce.number().positive().optional(),
    busiest: z.coerce.number().positive().optional(),
    timeline: z.boolean().default(false),
    callers: z.string().min(1).optional(),
  })
  .refine((a) => (a.from === undefined) === (a.to === undefined), 'give --from and --to together')
  .refine(
    (a) => a.from === undefined || a.to === undefined || a.to > a.from,
    '--to must be after --from',
  )
  .refine((a) => a.from === undefined || a.busiest === undefined, '--from/--to or --busiest');
type Args = z.infer<typeof ArgsSchema>;

function parse(): Args {
  const { values, positionals } = parseArgs({
    options: {
      top: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      busiest: { type: 'string' },
      timeline: { type: 'boolean' },
      callers: { type: 'string' },
      help: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const parsed = ArgsSchema.safeParse({ ...values, file: positionals[0] ?? '' });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'flags'}: ${i.message}`);
    fail(issues.join('; '));
  }
  return parsed.data;
}

function fail(message: string): never {
  console.error(`profile-top: ${message} (--help lists the flags)`);
  process.exit(2);
}

const ms = (value: number): string => `${value.toFixed(1).padStart(9)} ms`;
const pct = (part: number, whole: number): string =>
  `${((part / whole) * 100).toFixed(1).padStart(5)} %`;

function windowOf(profile: Profile, args: Args): Window | undefined {
  if (args.busiest !== undefined) return busiestWindow(profile, args.busiest * 1000);
  if (args.from !== undefined) return { from: args.from * 1000, to: args.to! * 1000 };
  return undefined;
}

function printTop(profile: Profile, args: Args, window: Window | undefined): void {
  const { total, busy, byLabel } = selfTimes(profile, window);
  const rows = [...byLabel]
    .filter(([key]) => !key.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, args.top);
  console.log(`sampled ${total.toFixed(0)} ms, busy ${busy.toFixed(0)} ms`);
  for (const [key, value] of rows) console.log(`${ms(value)} ${pct(value, busy)} of busy  ${key}`);
}

function printCallers(profile: Profile, name: string, window: Window | undefined): void {
  const { busy } = selfTimes(profile, window);
  const byCaller = [...callersOf(profile, name, window)].sort((a, b) => b[1] - a[1]);
  const all = byCaller.reduce((sum, [, v]) => sum + v, 0);
  console.log(`${name}: ${ms(all).trim()} inclusive, ${pct(all, busy).trim()} of busy`);
  for (const [key, value] of byCaller) console.log(`${ms(value)}  from ${key}`);
}

function main(): void {
  const args = parse();
  const read = readProfile(args.file);
  if (!read.ok) return fail(read.error);
  const { profile } = read;
  if (args.timeline) {
    for (const { from, busy } of timeline(profile, 500)) {
      console.log(`${(from / 1000).toFixed(1).padStart(7)} s  ${pct(busy, 1)} busy`);
    }
    return;
  }
  const window = windowOf(profile, args);
  if (window)
    console.log(`window ${(window.from / 1000).toFixed(1)}–${(window.to / 1000).toFixed(1)} s`);
  if (args.callers) printCallers(profile, args.callers, window);
  else printTop(profile, args, window);
}

main();
