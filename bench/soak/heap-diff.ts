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

function main(): void {
  const [first, second, flag, n] = process.argv.slice(2);
  if (!first || !second) {
    console.error('usage: heap-diff.ts A.heapsnapshot B.heapsnapshot [--top N]');
    process.exit(2);
  }
  const top = flag === '--top' ? Number(n) : 30;
  const a = groupNodes(readFileSync(first, 'utf8'));
  const b = groupNodes(readFileSync(second, 'utf8'));
  const header = ['type:constructor', 'count A', 'count B', 'Δ count', 'Δ self bytes'];
  console.log(markdownTable(header, diffGroups(a, b, top)));
}

main();
