/**
 * A join waiting for the host's answer when the app closes, through the app's IPC contract
 * against a real control server: kept in pending_join.json, the host told the app closed,
 * and on the next start in the party, still waiting, or told the host said no.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PartyView } from '../../../shared/ipc/app-state';
import { newIdentitySeed } from '../identity/identity-key';
import { accessAppRig } from '../test-util/access-app-rig';
import { appValue as value, callApp as call, until } from '../test-util/app-calls';
import { WAITING_JOIN_FILE } from './waiting-join-file';

const { temp, server, instance } = accessAppRig();

describe('a join waiting for the host when the app closes', () => {
  const annDir = () => join(temp.dir, 'instances', 'ann');
  const savedJoin = () => join(annDir(), WAITING_JOIN_FILE);

  /** Bob hosts an approval party; Ann asks to join and closes her app while she waits. */
  async function closedWhileWaiting(seed: string) {
    const host = await instance('Bob');
    const party = await value<PartyView>(host, 'createParty', {
      name: 'Door',
      settings: { join_policy: 'approval' },
    });
    const alerts: string[] = [];
    host.onNotification((n) => alerts.push(n.body));
    const guest = await instance('Ann', seed);
    const joining = call(guest, 'joinParty', { invite: party.party_id });
    await until(() => host.snapshot().join_requests.length === 1);
    expect(host.snapshot().join_requests[0]!.away).toBe(false);
    // Joined by bare ID: the wait is named from the party's summary.
    await until(() => guest.snapshot().pending_join?.party_name === 'Door');
    // The tray says the wait as the status bar does: it reads it from the service.
    expect(guest.trayInputs().waiting).toBe(true);
    const started = Date.now();
    await guest.close();
    // It used to wait for the host's answer, up to two minutes.
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await joining).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(JSON.parse(readFileSync(savedJoin(), 'utf8'))).toMatchObject({
      party_id: party.party_id,
      party_name: 'Door',
    });
    await until(
      () => server.context.access.approvals.get(party.party_id, 'peer_ann')?.goneAt !== undefined,
    );
    // The host sees that Ann's app closed: the same request, told again, with no new alert.
    await until(() => host.snapshot().join_requests[0]?.away === true);
    expect(host.snapshot().join_requests).toHaveLength(1);
    expect(alerts).toEqual(['Ann asks to join']);
    return { host, party };
  }

  it('let in while it was closed: the host sees her offline, then the restarted app online', async () => {
    const seed = newIdentitySeed();
    const { host, party } = await closedWhileWaiting(seed);
    await value(host, 'answerJoin', { peer_id: 'peer_ann', accept: true });
    await until(() => host.snapshot().party?.presence['peer_ann']?.status === 'offline');
    const again = await instance('Ann', seed);
    await until(() => again.snapshot().party?.party_id === party.party_id);
    await until(() => host.snapshot().party?.presence['peer_ann']?.status === 'online');
    // Never online before, so she never "went offline" (1.5 peer_joined.presence).
    expect(host.snapshot().activity.map((a) => a.text)).toEqual([
      'Ann is back online',
      'Ann joined while offline',
    ]);
    await until(() => !existsSync(savedJoin()));
  });

  /** Ann's app starts again while the host has not answered: it shows the wait. */
  async function restartedWaiting() {
    const seed = newIdentitySeed();
    const { host, party } = await closedWhileWaiting(seed);
    const again = await instance('Ann', seed);
    await until(() => again.snapshot().pending_join?.party_id === party.party_id);
    await until(() => host.snapshot().join_requests[0]?.away === false);
    return { host, party, again };
  }

  it('still waiting: the restarted app shows the wait, and the host’s answer lets it in', async () => {
    const { host, party, again } = await restartedWaiting();
    expect(host.snapshot().join_requests).toHaveLength(1);
    await value(host, 'answerJoin', { peer_id: 'peer_ann', accept: true });
    await until(() => again.snapshot().party?.party_id === party.party_id);
    expect(again.snapshot().pending_join).toBeNull();
    expect(again.trayInputs().waiting).toBe(false);
    await until(() => !existsSync(savedJoin()));
  });

  it('still waiting after the restart, Cancel ends the wait without a notice', async () => {
    const { host, again } = await restartedWaiting();
    await value(again, 'cancelJoin');
    await until(() => host.snapshot().join_requests.length === 0);
    await until(() => !existsSync(savedJoin()));
    expect(again.snapshot().pending_join).toBeNull();
    expect(again.snapshot().notices).toEqual([]);
  });

  it('refused while it was closed: the restarted app says so, and forgets the join', async () => {
    const seed = newIdentitySeed();
    const { host } = await closedWhileWaiting(seed);
    await value(host, 'answerJoin', { peer_id: 'peer_ann', accept: false });
    const again = await instance('Ann', seed);
    await until(() => again.snapshot().notices.length > 0);
    expect(again.snapshot().notices[0]!.message).toMatch(
      /^Your request to join Door: .*did not let you in/,
    );
    expect(again.snapshot().party).toBeNull();
    expect(existsSync(savedJoin())).toBe(false);
    expect(host.snapshot().join_requests).toHaveLength(0);
  });

  it('a damaged saved join is kept aside and reported', async () => {
    mkdirSync(annDir(), { recursive: true });
    writeFileSync(savedJoin(), '{"party_id": 7');
    const guest = await instance('Ann');
    expect(guest.snapshot().notices[0]!.message).toMatch(
      /could not be read: it is damaged \(not valid JSON\)\. LANrage kept it as /,
    );
    expect(existsSync(savedJoin())).toBe(false);
    const aside = readdirSync(annDir()).filter((f) => f.includes('.corrupt-'));
    expect(aside).toHaveLength(1);
  });
});
