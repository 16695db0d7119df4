import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartyInfo } from '../../../shared/model';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';
import { ManualClock } from '../test-util/manual-clock';
import { emptyState, parseStateFile, serializeState, type PersistedState } from './state-file';
import { StateStore } from './state-store';
import { makePeer, SPEC_STATE_JSON } from '../test-util/fixtures';
import { makeTempDir } from '../test-util/temp-dir';
import { CountedWrites } from '../test-util/counted-writes';

let dir: string;
let cleanup: () => void;
let clock: ManualClock;
let logger: MemoryLogger;
let state: PersistedState;
/** The file's completed writes, by every store a test makes. */
let writes: CountedWrites;
beforeEach(() => {
  ({ dir, cleanup } = makeTempDir());
  clock = new ManualClock();
  logger = new MemoryLogger();
  state = emptyState();
  writes = new CountedWrites();
});
afterEach(() => cleanup());

function makeStore(path = join(dir, 'control_state.json')): StateStore {
  return new StateStore(path, {
    clock,
    logger,
    saveDelayMs: 50,
    snapshot: () => state,
    writeFile: writes.write,
  });
}

/** A store whose user-facing reports land in `reports`. */
function reportingStore(path: string, reports: string[]): StateStore {
  return new StateStore(path, {
    clock,
    logger,
    saveDelayMs: 50,
    snapshot: () => state,
    report: (m) => reports.push(m),
  });
}

function party(id: string): PartyInfo {
  return new PartyInfo({
    partyId: id,
    name: `Party ${id}`,
    hostId: 'host1',
    createdAt: new Date(Date.UTC(2026, 0, 29)),
    peers: new Map([['host1', makePeer('host1')]]),
  });
}

describe('state file format', () => {
  it('loads the spec example exactly', () => {
    const loaded = parseStateFile(JSON.parse(SPEC_STATE_JSON));
    expect(loaded.myPeerId).toBe('peer123');
    expect(loaded.myPartyId).toBe('party_abc123');
    const p = loaded.parties.get('party_abc123')!;
    expect(p.name).toBe('Gaming Night');
    expect(p.createdAt.toISOString()).toBe('2026-01-29T12:00:00.000Z');
    expect(p.peers.get('peer123')!.publicIp).toBe('203.0.113.42');
    expect(p.peers.get('peer123')!.lastSeen.toISOString()).toBe('2026-01-29T12:05:00.000Z');
  });

  it('round-trips through serializeState with the spec’s keys', () => {
    const loaded = parseStateFile(JSON.parse(SPEC_STATE_JSON));
    const written = JSON.parse(serializeState(loaded)) as Record<string, unknown>;
    expect(Object.keys(written)).toEqual(['parties', 'my_peer_id', 'my_party_id']);
    expect(parseStateFile(written)).toEqual(loaded);
  });

  it('names the bad field of an invalid party', () => {
    const raw = JSON.parse(SPEC_STATE_JSON) as {
      parties: { party_abc123: { peers: { peer123: { public_port: number } } } };
    };
    raw.parties.party_abc123.peers.peer123.public_port = 70000;
    expect(() => parseStateFile(raw)).toThrow(/parties\.party_abc123\.peers\.peer123\.public_port/);
  });

  it('keeps our LAN hosts’ pins under host_pins, and checks them', () => {
    const pin = 'A'.repeat(43);
    const loaded = parseStateFile(JSON.parse(SPEC_STATE_JSON));
    const withPins = { ...loaded, hostPins: new Map([['party_abc123', pin]]) };
    const written = JSON.parse(serializeState(withPins)) as Record<string, unknown>;
    expect(written.host_pins).toEqual({ party_abc123: pin });
    expect(parseStateFile(written).hostPins).toEqual(withPins.hostPins);
    const bad = { ...written, host_pins: { party_abc123: 'not-a-pin' } };
    expect(() => parseStateFile(bad)).toThrow(/host_pins\.party_abc123/);
  });

  it('keeps where a LAN host joined at its link’s address answered, under host_at', () => {
    const loaded = parseStateFile(JSON.parse(SPEC_STATE_JSON));
    expect(JSON.parse(serializeState(loaded))).not.toHaveProperty('host_at');
    const withAt = { ...loaded, hostAt: new Map([['party_abc123', ['10.0.0.5:8669']]]) };
    const written = JSON.parse(serializeState(withAt)) as Record<string, unknown>;
    expect(written.host_at).toEqual({ party_abc123: ['10.0.0.5:8669'] });
    expect(parseStateFile(written).hostAt).toEqual(withAt.hostAt);
    for (const at of [['10.0.0.5'], [], ['x:1']]) {
      const bad = { ...written, host_at: { party_abc123: at } };
      expect(() => parseStateFile(bad)).toThrow(/host_at\.party_abc123/);
    }
  });

  it('rejects a party stored under another id', () => {
    const raw = JSON.parse(SPEC_STATE_JSON.replace('"party_abc123": {', '"other": {')) as unknown;
    expect(() => parseStateFile(raw)).toThrow(/parties\.other\.party_id/);
  });
});

describe('StateStore', () => {
  it('starts empty when the file is missing', async () => {
    expect(await makeStore().load()).toEqual(emptyState());
    expect(logger.lines).toEqual([]);
  });

  it('loads the spec example file as it is', async () => {
    writeFileSync(join(dir, 'control_state.json'), SPEC_STATE_JSON);
    const loaded = await makeStore().load();
    expect([...loaded.parties.keys()]).toEqual(['party_abc123']);
  });

  it('says so when control_state.json is a link to a file that is missing', async () => {
    const path = join(dir, 'control_state.json');
    symlinkSync(join(dir, 'gone', 'state.json'), path);
    const reports: string[] = [];
    expect(await reportingStore(path, reports).load()).toEqual(emptyState());
    expect(reports).toEqual([
      `Your parties' file ${path} is a link to ${join(dir, 'gone', 'state.json')}, which does not exist: LANrage starts without saved parties, and saving them writes that file.`,
    ]);
  });

  it('loads one saved with a UTF-8 byte order mark (Notepad, PowerShell 5), not set aside', async () => {
    writeFileSync(join(dir, 'control_state.json'), `\uFEFF${SPEC_STATE_JSON}`);
    const loaded = await makeStore().load();
    expect([...loaded.parties.keys()]).toEqual(['party_abc123']);
    expect(readdirSync(dir)).toEqual(['control_state.json']);
  });

  it.each([
    ['not JSON', '{"parties": {'],
    ['schema-invalid', JSON.stringify({ parties: { p: { party_id: 'p' } } })],
    ['wrong root type', '[1, 2, 3]'],
  ])('sets a %s file aside as .corrupt-<ts>, warns, and starts empty', async (_what, text) => {
    const path = join(dir, 'control_state.json');
    writeFileSync(path, text);
    const loaded = await makeStore(path).load();
    expect(loaded).toEqual(emptyState());
    expect(existsSync(path)).toBe(false);
    const aside = readdirSync(dir).filter((f) => f.startsWith('control_state.json.corrupt-'));
    expect(aside).toEqual(['control_state.json.corrupt-2026-01-29T12-00-00-000Z']);
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(text);
    expect(logger.messages('warn')).toHaveLength(1);
    expect(logger.messages('warn')[0]).toContain(aside[0]);
  });

  it('tells the user about a corrupt file kept aside, not only the log', async () => {
    const path = join(dir, 'control_state.json');
    writeFileSync(path, '{"parties": {');
    const reports: string[] = [];
    const store = reportingStore(path, reports);
    await store.load();
    expect(reports).toEqual([
      expect.stringMatching(
        /^Your saved parties \(.*\) could not be read: it is damaged \(not valid JSON\)\. LANrage kept the file as .*corrupt-2026[^ ]* and started without them\.$/,
      ),
    ]);
    // The parser's own words are for the log, not for the player.
    expect(reports[0]).not.toMatch(/position|Expected property/);
    expect(logger.messages('warn')[0]).toMatch(/\(Expected property name .* position 13\)$/);
  });

  it('a folder where control_state.json should be is kept aside; the app starts and saves', async () => {
    const path = join(dir, 'control_state.json');
    mkdirSync(join(path, 'inner'), { recursive: true });
    const reports: string[] = [];
    const store = reportingStore(path, reports);
    expect(await store.load()).toEqual(emptyState());
    expect(reports).toEqual([
      expect.stringContaining('could not be read: a folder is in its place.'),
    ]);
    const aside = join(dir, 'control_state.json.corrupt-2026-01-29T12-00-00-000Z');
    expect(statSync(join(aside, 'inner')).isDirectory()).toBe(true);
    state.parties.set('p1', party('p1'));
    store.schedule();
    await store.flush();
    expect(parseStateFile(JSON.parse(readFileSync(path, 'utf8'))).parties.has('p1')).toBe(true);
  });

  it('tells the user once when saving keeps failing', async () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'x');
    const reports: string[] = [];
    const store = reportingStore(join(blocker, 'control_state.json'), reports);
    store.schedule();
    await store.flush();
    store.schedule();
    await store.flush();
    expect(reports).toEqual([
      `Could not save ${join(blocker, 'control_state.json')}: a file is where its folder should be. ` +
        'Your parties are kept in memory only.',
    ]);
  });

  it('coalesces a burst of changes into one write holding the latest state', async () => {
    const store = makeStore();
    for (let i = 0; i < 100; i++) {
      state.parties.set(`p${i}`, party(`p${i}`));
      store.schedule();
    }
    await clock.advance(49);
    expect(writes.count).toBe(0);
    await clock.advance(1);
    await store.flush();
    expect(writes.count).toBe(1);
    const onDisk = parseStateFile(JSON.parse(readFileSync(store.path, 'utf8')));
    expect(onDisk.parties.size).toBe(100);
  });

  it('writes again for a change made after a write', async () => {
    const store = makeStore();
    store.schedule();
    await clock.advance(50);
    await store.flush();
    state.myPeerId = 'me';
    store.schedule();
    await clock.advance(50);
    await store.flush();
    expect(writes.count).toBe(2);
    expect(parseStateFile(JSON.parse(readFileSync(store.path, 'utf8'))).myPeerId).toBe('me');
  });

  it('flush writes pending changes at once and cancels the timer', async () => {
    const store = makeStore();
    state.myPartyId = 'x';
    store.schedule();
    await store.flush();
    expect(writes.count).toBe(1);
    expect(clock.pendingTimers).toBe(0);
    await store.flush();
    expect(writes.count).toBe(1);
  });

  it('leaves no temp files behind', async () => {
    const store = makeStore();
    store.schedule();
    await store.flush();
    expect(readdirSync(dir)).toEqual(['control_state.json']);
  });

  it('logs a failed write and keeps the change pending', async () => {
    const store = makeStore(join(dir, 'missing-parent-is-a-file', 'state.json'));
    writeFileSync(join(dir, 'missing-parent-is-a-file'), 'x');
    store.schedule();
    await store.flush();
    expect(writes.count).toBe(0);
    // The log keeps the system's own text beside the words the user reads.
    expect(logger.messages('error')[0]).toMatch(
      /^Could not save .*: a file is where its folder should be \(EEXIST: file already exists, mkdir/,
    );
  });
});
