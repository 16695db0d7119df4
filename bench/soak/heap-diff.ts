/**
 * `node --import tsx bench/soak/heap-diff.ts A.heapsnapshot B.heapsnapshot [--top N]`
 * What grew between two heap snapshots (bench:soak --snapshots writes them): objects
 * counted by node type and constructor (or closure) name, V8's own structures by their system
 * name, with their self sizes, largest growth first. A constructor whose count grows with the
 * cycles is where to look; `system / FeedbackVector`, `AllocationSite` or `WeakArrayList`
 * (dependent code) growing is the optimiser at work.
 */
import { readFileSync } from 'node:fs';
import { markdownTable } from '../lib/table';
import { diffGroups, groupNodes } from './heap-groups';

function fail(message: string): never {
  console.error(`heap-diff: ${message}`);
  process.exit(2);
}

/** One snapshot's groups, or exit 2 with why the file cannot be read as one. */
function groupsOf(file: string): ReturnType<typeof groupNodes> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return fail(
      `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`,
    );
  }
  try {
    return groupNodes(text);
  } catch {
    return fail(`${file} is not a V8 heap snapshot (.heapsnapshot)`);
  }
}

function main(): void {
  const [first, second, flag, n] = process.argv.slice(2);
  if (!first || !second || (flag !== undefined && flag !== '--top')) {
    fail('usage: heap-diff.ts A.heapsnapshot B.heapsnapshot [--top N]');
  }
  const top = flag === '--top' ? Number(n) : 30;
  if (!Number.isInteger(top) || top < 1) fail('--top takes a whole number of rows, 1 or more');
  const a = groupsOf(first);
  const b = groupsOf(second);
  const header = ['type:constructor', 'count A', 'count B', 'Δ count', 'Δ self bytes'];
  console.log(markdownTable(header, diffGroups(a, b, top)));
}

main();
