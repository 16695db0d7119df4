/**
 * After the server was killed with SIGKILL mid-run, restarts it on the same data dir and
 * checks that every party and member whose join was acknowledged is still there, and no
 * member whose leave was (LeftOut): the acknowledged-after-commit rule, observed from
 * outside. A member whose last request got no answer may be either.
 */
import type { StartedProcess } from '../lib/proc';
import { PeerClient } from './peer-client';
import { planParties } from './plan';
import type { LeftOut } from './scale-types';

export interface DurabilityResult {
  ok: boolean;
  parties_checked: number;
  missing_parties: number;
  missing_members: number;
  /** Members present whose leave was acknowledged. */
  extra_members: number;
  /** Members out of their party as acknowledged (not expected back), and uncertain. */
  left_out: number;
  uncertain: number;
  restart_ms: number;
  first_error: string | null;
}

/** Asks for each planned party and counts what is missing of it into `result`. */
async function checkParties(
  client: PeerClient,
  plans: ReturnType<typeof planParties>,
  out: LeftOut,
  result: DurabilityResult,
): Promise<void> {
  const outOf = new Map(out.parties.map(([id, n, unsure]) => [id, [n, unsure] as const]));
  for (const plan of plans) {
    const [left, unsure] = outOf.get(plan.party_id) ?? [0, 0];
    result.parties_checked++;
    const answer = await client
      .request({ type: 'get_party', party_id: plan.party_id })
      .catch((e: unknown) => {
        result.first_error ??= String(e);
        return null;
      });
    // The verifier is no member: a 1.2 server shows it the summary, with the member count.
    const members =
      answer?.type === 'party_update'
        ? Object.keys((answer.party as { peers: object }).peers).length
        : answer?.type === 'party_summary'
          ? Number(answer.peer_count)
          : 0;
    const acknowledged = plan.size - left;
    if (members === 0 && acknowledged - unsure > 0) result.missing_parties++;
    result.missing_members += Math.max(0, acknowledged - unsure - members);
    result.extra_members += Math.max(0, members - acknowledged);
  }
}

export async function verifyDurability(
  restart: () => Promise<StartedProcess>,
  peers: number,
  partySize: number,
  tag: string,
  out: LeftOut,
): Promise<DurabilityResult> {
  const started = performance.now();
  const server = await restart();
  const restartMs = Math.round(performance.now() - started);
  const client = new PeerClient(`${tag}_verifier`, '', false, () => undefined);
  const result: DurabilityResult = {
    ok: false,
    parties_checked: 0,
    missing_parties: 0,
    missing_members: 0,
    extra_members: 0,
    left_out: out.members,
    uncertain: out.uncertain,
    restart_ms: restartMs,
    first_error: null,
  };
  try {
    await client.connect(server.url, 10_000);
    await client.request({ type: 'hello', version: '1.0', client: 'lanrage-bench' });
    await checkParties(client, planParties(peers, partySize, tag), out, result);
    result.ok = result.missing_members === 0 && result.extra_members === 0;
  } catch (error) {
    result.first_error ??= String(error);
  } finally {
    client.close();
    await server.stop();
  }
  return result;
}
