/** How N simulated peers in parties of R are laid out over the load workers. */
import type { PartyPlan } from './messages';

/** Full parties of `partySize`, plus one smaller party for the remainder. */
export function planParties(peers: number, partySize: number, tag: string): PartyPlan[] {
  const plans: PartyPlan[] = [];
  for (let left = peers, i = 0; left > 0; i++) {
    const size = Math.min(partySize, left);
    plans.push({ party_id: `bench_${tag}_p${i}`, size });
    left -= size;
  }
  return plans;
}

/** Whole parties per worker (fan-out latency is timed inside one process), balanced by peers. */
export function splitParties(plans: readonly PartyPlan[], workers: number): PartyPlan[][] {
  const shares: PartyPlan[][] = Array.from({ length: workers }, () => []);
  const load = new Array<number>(workers).fill(0);
  for (const plan of [...plans].sort((a, b) => b.size - a.size)) {
    const target = load.indexOf(Math.min(...load));
    shares[target]!.push(plan);
    load[target]! += plan.size;
  }
  return shares;
}
