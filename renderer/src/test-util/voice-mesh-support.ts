/** Steps and shorthands the VoiceMesh tests (voice/voice-*.test.ts) share over FakeVoiceNet. */
import type { VoiceSignal } from '../../../shared/media/voice';
import { FakeVoiceNet } from './voice-fakes';

/** Each member joins voice in turn, every signal delivered before the next one joins. */
export async function joinInTurn(net: FakeVoiceNet, ...peerIds: string[]): Promise<void> {
  for (const peerId of peerIds) {
    await net.mesh(peerId).join();
    await net.settle();
  }
}

/** "from->to" for each signal of this kind sent, in order. */
export const pairs = (net: FakeVoiceNet, kind: VoiceSignal['kind']) =>
  net.sentOf(kind).map((s) => `${s.from}->${s.to}`);

export const candidate = (text: string): VoiceSignal => ({
  kind: 'candidate',
  candidate: text,
  sdp_mid: '0',
  sdp_m_line_index: 0,
});

/** A member's entry on the panel with nothing to show: not muted, silent, straight. */
export const calm = { muted: false, speaking: false, relayed: false };

/** Alice (who offers to Bob) and Bob in voice, both links connected. */
export async function connectedPair(): Promise<FakeVoiceNet> {
  const net = new FakeVoiceNet(['alice', 'bob']);
  await joinInTurn(net, 'alice', 'bob');
  net.link('alice', 'bob').report('connected');
  net.link('bob', 'alice').report('connected');
  return net;
}

/** How Alice's panel shows her call with Bob. */
export const bobState = (net: FakeVoiceNet) => net.view('alice').peers.bob?.state;
