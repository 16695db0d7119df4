/**
 * Voice chat's and screen sharing's signals through two real apps and a real server: what
 * one app's renderer sends reaches the other's as a state event; what is not one of them
 * from a member of my party (a hostile member's own client, a stranger) never does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PartyView, StateEvent } from '../../../shared/ipc/app-state';
import type { VoiceSignal } from '../../../shared/media/voice';
import type { RunningServer } from '../../../server/server-core';
import { peerDict, RawClient } from '../../../server/test-util/support';
import type { AppService } from './types';
import { startMemoryServer } from '../test-util/memory-server';
import { testAppService } from '../test-util/app-instance';
import { makeTempDir } from '../test-util/temp-dir';
import { waitFor } from '../test-util/child-process';
import { callApp as call } from '../test-util/app-calls';

let temp: ReturnType<typeof makeTempDir>;
let server: RunningServer;
const open: AppService[] = [];

beforeEach(async () => {
  temp = makeTempDir('lanrage-signals-');
  server = await startMemoryServer();
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  await server.close();
  temp.cleanup();
});

async function instance(
  name: string,
  controlServer: string | null = server.url,
): Promise<{ app: AppService; heard: VoiceHeard[] }> {
  const app = await testAppService({ home: temp.dir, name, controlServer });
  open.push(app);
  const heard: VoiceHeard[] = [];
  app.onStateEvent((event: StateEvent) => {
    if (event.type === 'voice_signal') heard.push({ from: event.from, signal: event.signal });
  });
  return { app, heard };
}
interface VoiceHeard {
  from: string;
  signal: VoiceSignal;
}

/** Bob hosts, Ann joins: both apps in one party on the server (or Bob's embedded one). */
async function party(controlServer: string | null = server.url) {
  const bob = await instance('Bob', controlServer);
  const made = await call<PartyView>(bob.app, 'createParty', { name: 'Voice night' });
  if (!made.ok) throw new Error(made.error.message);
  const ann = await instance('Ann', controlServer);
  expect(await call(ann.app, 'joinParty', { invite: made.value.party_id })).toMatchObject({
    ok: true,
  });
  return { bob, ann, partyId: made.value.party_id };
}

const offer: VoiceSignal = { kind: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };

describe('voice chat signals', () => {
  it("reach the other member's renderer, in the order sent, named by their sender", async () => {
    const { bob, ann } = await party();
    const sent: VoiceSignal[] = [
      { kind: 'join', muted: false },
      offer,
      {
        kind: 'candidate',
        candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host',
        sdp_mid: '0',
        sdp_m_line_index: 0,
      },
    ];
    for (const signal of sent) {
      expect(await call(ann.app, 'sendVoiceSignal', { to: 'peer_bob', signal })).toEqual({
        ok: true,
        value: null,
      });
    }
    await waitFor(() => bob.heard.length === sent.length, 5000);
    expect(bob.heard).toEqual(sent.map((signal) => ({ from: 'peer_ann', signal })));
    expect(ann.heard).toEqual([]);
  });

  it('for screen sharing reach the other member as screen_signal, apart from voice', async () => {
    const { bob, ann } = await party();
    const screen: StateEvent[] = [];
    bob.app.onStateEvent((event) => event.type === 'screen_signal' && screen.push(event));
    await call(ann.app, 'sendScreenSignal', { to: 'peer_bob', signal: { kind: 'sharing' } });
    await call(ann.app, 'sendVoiceSignal', { to: 'peer_bob', signal: offer });
    await waitFor(() => bob.heard.length === 1 && screen.length === 1, 5000);
    expect(screen).toEqual([
      { type: 'screen_signal', from: 'peer_ann', signal: { kind: 'sharing' } },
    ]);
    expect(bob.heard).toEqual([{ from: 'peer_ann', signal: offer }]);
    const bad = await call(ann.app, 'sendScreenSignal', {
      to: 'peer_bob',
      signal: { kind: 'join', muted: false },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it("go through the host's own server without a control server (local mode)", async () => {
    const { bob, ann } = await party(null);
    await call(ann.app, 'sendVoiceSignal', { to: 'peer_bob', signal: offer });
    await call(bob.app, 'sendVoiceSignal', { to: 'peer_ann', signal: { kind: 'leave' } });
    await waitFor(() => bob.heard.length === 1 && ann.heard.length === 1, 5000);
    expect(bob.heard).toEqual([{ from: 'peer_ann', signal: offer }]);
    expect(ann.heard).toEqual([{ from: 'peer_bob', signal: { kind: 'leave' } }]);
  });

  it("are spaced out: a burst over the server's message limit all arrives", async () => {
    const { bob, ann } = await party();
    // Joining voice in a party of 61 says join to 60 members; the server refuses a connection's
    // messages past a burst of 40 (the default --rate-limit).
    const signals = Array.from({ length: 60 }, (_, i) => ({ kind: 'mute', muted: i % 2 === 0 }));
    const answers = await Promise.all(
      signals.map((signal) => call(ann.app, 'sendVoiceSignal', { to: 'peer_bob', signal })),
    );
    expect(answers.filter((a) => !a.ok)).toEqual([]);
    await waitFor(() => bob.heard.length === 60, 10_000);
    expect(bob.heard.map((h) => h.signal)).toEqual(signals);
    expect(ann.app.snapshot().status.state).toBe('connected');
  }, 20_000);

  it('are refused to someone not in my party, to myself, and outside a party', async () => {
    const { ann } = await party();
    for (const to of ['peer_zed', 'peer_ann']) {
      const answer = await call(ann.app, 'sendVoiceSignal', { to, signal: offer });
      expect(answer).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    const loner = await instance('Cat');
    const answer = await call(loner.app, 'sendVoiceSignal', { to: 'peer_bob', signal: offer });
    expect(answer).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses a malformed signal from the renderer without sending anything', async () => {
    const { bob, ann } = await party();
    const oversized = { kind: 'offer', sdp: 'x'.repeat(16_001) };
    for (const signal of [oversized, { kind: 'shout' }, { kind: 'mute' }]) {
      const answer = await call(ann.app, 'sendVoiceSignal', { to: 'peer_bob', signal });
      expect(answer).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    await call(ann.app, 'sendVoiceSignal', { to: 'peer_bob', signal: offer });
    await waitFor(() => bob.heard.length === 1, 5000);
    expect(bob.heard[0]!.signal).toEqual(offer);
  });

  it("drops what a member's own client sends that is not a voice signal", async () => {
    const { bob, partyId } = await party();
    const mallory = await RawClient.connect(server.url);
    await mallory.hello();
    const joined = await mallory.request({
      type: 'join_party',
      party_id: partyId,
      peer: peerDict('peer_mal'),
    });
    expect(joined.type).toBe('party_update');
    await waitFor(() => bob.app.snapshot().party?.peers['peer_mal'] !== undefined, 5000);
    const junk = [
      { voice: { kind: 'offer', sdp: 'x'.repeat(16_001) } },
      { voice: { kind: 'offer', sdp: 'ok', extra: 1 } },
      { video: { kind: 'offer', sdp: 'ok' } },
      'just a string',
      { voice: offer },
    ];
    for (const signal_data of junk) {
      const answer = await mallory.request({
        type: 'signal',
        party_id: partyId,
        from_peer_id: 'peer_mal',
        to_peer_id: 'peer_bob',
        signal_data,
      });
      expect(answer.type).toBe('ack');
    }
    await waitFor(() => bob.heard.length === 1, 5000);
    expect(bob.heard).toEqual([{ from: 'peer_mal', signal: offer }]);
    await mallory.close();
  });
});
