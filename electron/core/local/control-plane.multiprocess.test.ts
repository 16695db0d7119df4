/**
 * Real OS processes sharing one LANRAGE_HOME, as two LANrage apps on one PC: the host runs
 * the embedded server, the other finds it in discovery.json and joins as its client.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { StateStore } from '../state/state-store';
import { systemClock } from '../../../shared/time/clock';
import { ChildInstance, waitFor } from '../test-util/child-process';
import { localEnv } from '../test-util/local-plane';
import { makeTempDir } from '../test-util/temp-dir';
import { Config } from '../config/config';
import { LOCAL_SERVER_FILE } from '../hosting/hosting';

let home: string;
let cleanup: () => void;
const children: ChildInstance[] = [];

beforeEach(() => ({ dir: home, cleanup } = makeTempDir()));
afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.stop()));
  cleanup();
});

function child(instance: string, args: string[] = []): ChildInstance {
  const c = new ChildInstance(localEnv(home, instance), args);
  children.push(c);
  return c;
}

/** The host instance's embedded server file (its parties and access rows). */
const hostServerFile = () => join(home, 'instances', 'host', LOCAL_SERVER_FILE);

const peersOf = (c: ChildInstance, partyId: string): string[] =>
  [...(c.parties.get(partyId) ?? [])].sort();

describe('two app instances on one machine (real processes)', () => {
  it('host creates, the other joins; both see both, a leave, and the host quitting ends it', async () => {
    const host = child('host');
    const guest = child('guest');
    await Promise.all([host.started(), guest.started()]);
    expect(await host.call({ op: 'register', partyId: 'party_lan', peerId: 'alice' })).toEqual([
      'alice',
    ]);
    const joined = (await guest.call({
      op: 'join',
      partyId: 'party_lan',
      peerId: 'bob',
    })) as string[];
    expect(joined.sort()).toEqual(['alice', 'bob']);
    await waitFor(() => peersOf(host, 'party_lan').includes('bob'), 3000);

    await guest.call({ op: 'leave', partyId: 'party_lan', peerId: 'bob' });
    await waitFor(() => !peersOf(host, 'party_lan').includes('bob'), 3000);

    await guest.call({ op: 'join', partyId: 'party_lan', peerId: 'bob' });
    await waitFor(() => peersOf(host, 'party_lan').includes('bob'), 3000);
    await host.quit();
    await waitFor(() => guest.parties.get('party_lan') === null, 3000);
    expect(guest.closeReasons.get('party_lan')).toBe('host_left');
  });

  it('a host that freezes (its PC asleep) is waited for as away, and the party goes on', async () => {
    const host = child('host');
    const guest = child('guest', ['--quick-liveness']);
    await Promise.all([host.started(), guest.started()]);
    await host.call({ op: 'register', partyId: 'party_nap', peerId: 'alice' });
    await guest.call({ op: 'join', partyId: 'party_nap', peerId: 'bob' });
    host.proc.kill('SIGSTOP');
    try {
      await waitFor(() => guest.hostAway.at(-1) === true, 5000);
    } finally {
      host.proc.kill('SIGCONT');
    }
    await waitFor(() => guest.hostAway.at(-1) === false, 15_000);
    expect(peersOf(guest, 'party_nap')).toEqual(['alice', 'bob']);
    expect(guest.closeReasons.has('party_nap')).toBe(false);
  });

  describe('a host gone silent (heartbeat every second: one health period is 2 s)', () => {
    beforeEach(() => {
      const fast = { heartbeat_interval: 1, peer_timeout: 60 };
      writeFileSync(join(home, 'config.json'), JSON.stringify(fast));
    });

    /** Host alice and guest bob (a silent link found in half a second) in `partyId`. */
    async function party(partyId: string): Promise<{ host: ChildInstance; guest: ChildInstance }> {
      const host = child('host');
      const guest = child('guest', ['--quick-liveness']);
      await Promise.all([host.started(), guest.started()]);
      await host.call({ op: 'register', partyId, peerId: 'alice' });
      await guest.call({ op: 'join', partyId, peerId: 'bob' });
      return { host, guest };
    }

    it('without saying its PC went to sleep: the party ends after a health period', async () => {
      const { host, guest } = await party('party_gone');
      host.proc.kill('SIGSTOP');
      try {
        const stopped = performance.now();
        await waitFor(() => guest.parties.get('party_gone') === null, 10_000);
        // The half second to find the link silent, then 2 s; not the 60 s peer timeout.
        expect(performance.now() - stopped).toBeGreaterThan(2000);
        expect(guest.closeReasons.get('party_gone')).toBe('host_silent');
      } finally {
        host.proc.kill('SIGCONT');
      }
    });

    it('having said so: waited for past that, and the party goes on when it wakes', async () => {
      const { host, guest } = await party('party_nap');
      await host.call({ op: 'sleep' });
      await waitFor(() => guest.asleep.get('party_nap')?.includes('alice') === true, 5000);
      host.proc.kill('SIGSTOP');
      try {
        await waitFor(() => guest.hostAway.at(-1) === true, 5000);
        // Three health periods and more: the silent host's party above had ended by now.
        await new Promise((resolve) => setTimeout(resolve, 6000));
        expect(guest.parties.get('party_nap')).toEqual(['alice', 'bob']);
        expect(guest.hostAway.at(-1)).toBe(true);
      } finally {
        host.proc.kill('SIGCONT');
      }
      await waitFor(() => guest.hostAway.at(-1) === false, 15_000);
      // Awake, it beats: online again for its guest.
      await waitFor(() => guest.asleep.get('party_nap')?.length === 0, 5000);
      expect(guest.closeReasons.has('party_nap')).toBe(false);
    });
  });

  it('a host that crashes (SIGKILL): the party ends for the other as the host left', async () => {
    const host = child('host');
    const guest = child('guest');
    await Promise.all([host.started(), guest.started()]);
    await host.call({ op: 'register', partyId: 'party_crash', peerId: 'alice' });
    await guest.call({ op: 'join', partyId: 'party_crash', peerId: 'bob' });
    await host.stop();
    await waitFor(() => guest.parties.get('party_crash') === null, 5000);
    expect(guest.closeReasons.get('party_crash')).toBe('host_left');
  });

  it('a host that crashes while a join waits for its answer: the join ends, the party gone', async () => {
    const host = child('host');
    const guest = child('guest');
    await Promise.all([host.started(), guest.started()]);
    const door = { partyId: 'party_door', peerId: 'alice', joinPolicy: 'approval' };
    await host.call({ op: 'register', ...door });
    const outcome = guest.call({ op: 'join', partyId: 'party_door', peerId: 'bob' }).then(
      () => 'let in',
      (error: unknown) => String(error),
    );
    // Asked, and told to wait: the host's party file holds the request and the guest waits
    // on it. (A host killed before its answer reached the guest fails the request itself,
    // "Connection to the control server was lost", which is the truth for that join.)
    await waitFor(() => readFileSync(hostServerFile(), 'utf8').includes('bob'), 5000);
    await waitFor(() => guest.waitingOn.has('party_door'), 5000);
    await host.stop();
    // It used to wait the two minutes of the request, with no link to anyone.
    const late = new Promise((resolve) => setTimeout(() => resolve('still waiting'), 8000));
    expect(await Promise.race([outcome, late])).toContain(
      'The party ended before the host let you in.',
    );
  });

  it('a process SIGKILLed in the middle of a write burst leaves a state file that loads', async () => {
    const writer = child('burst');
    await writer.call({ op: 'writeBurst', peerId: 'peer_writer' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await writer.stop();
    const config = Config.load({ env: localEnv(home, 'burst') });
    const logger = new MemoryLogger();
    const store = new StateStore(config.stateFile, {
      clock: systemClock,
      logger,
      saveDelayMs: 10,
      snapshot: () => ({ parties: new Map(), myPeerId: null, myPartyId: null }),
    });
    const state = await store.load();
    expect(logger.lines).toEqual([]);
    expect(state.parties.size).toBeGreaterThan(0);
    // The renames reached the file: it was being rewritten when the kill came.
    const written = state.parties.get('party_burst')?.peers.get('peer_writer');
    expect(written?.name).toMatch(/^Writer \d+$/);
    const tempFiles = readdirSync(join(home, 'instances', 'burst')).filter(
      (f) => f.startsWith('.control_state.json.') && f.endsWith('.tmp'),
    );
    // A temp file may be left behind by the kill; it is never mistaken for the state.
    expect(tempFiles.length).toBeLessThanOrEqual(1);
  });
});
