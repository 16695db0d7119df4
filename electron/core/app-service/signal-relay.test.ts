/**
 * The relay's own checks, for what a server could push (the server is untrusted too): only a
 * voice signal from another member of my party reaches the renderer.
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../shared/clock';
import type { StateEvent } from '../../../shared/ipc/app-state';
import { PartyInfo } from '../../../shared/model';
import { makePeer as peer } from '../test-util/fixtures';
import type { ControlPlaneApi } from '../types';
import { SignalRelay } from './signal-relay';

const at = new Date('2026-12-05T07:00:00Z');
function relay() {
  const party = new PartyInfo({
    partyId: 'party_voice1',
    name: 'Voice',
    hostId: 'peer_me',
    createdAt: at,
    peers: new Map([
      ['peer_me', peer('peer_me')],
      ['peer_ann', peer('peer_ann')],
    ]),
  });
  const control = {
    myPartyId: 'party_voice1',
    myPeerId: 'peer_me',
    parties: new Map([[party.partyId, party]]),
  } as unknown as ControlPlaneApi;
  const events: StateEvent[] = [];
  const logged: string[] = [];
  const voice = new SignalRelay({
    control: () => control,
    emit: (event) => events.push(event),
    log: (message) => logged.push(message),
    clock: systemClock,
  });
  return { voice, events, logged };
}

const signal = (partyId: string, fromPeerId: string, signalData: unknown) => ({
  kind: 'signal' as const,
  partyId,
  fromPeerId,
  signalData,
});
const join = { voice: { kind: 'join', muted: true } };

describe('SignalRelay.onChange', () => {
  it("passes on a member's voice signal as a state event", () => {
    const { voice, events } = relay();
    expect(voice.onChange(signal('party_voice1', 'peer_ann', join))).toBe(true);
    expect(events).toEqual([
      { type: 'voice_signal', from: 'peer_ann', signal: { kind: 'join', muted: true } },
    ]);
  });

  it("passes on a member's screen sharing signal as its own event", () => {
    const { voice, events } = relay();
    voice.onChange(signal('party_voice1', 'peer_ann', { screen: { kind: 'sharing' } }));
    expect(events).toEqual([
      { type: 'screen_signal', from: 'peer_ann', signal: { kind: 'sharing' } },
    ]);
  });

  it('drops one that is neither, or mixes both', () => {
    const { voice, events, logged } = relay();
    for (const data of [
      { screen: { kind: 'join', muted: false } },
      { voice: { kind: 'sharing' } },
      { voice: { kind: 'leave' }, screen: { kind: 'stopped' } },
      { chat: 'hi' },
    ]) {
      voice.onChange(signal('party_voice1', 'peer_ann', data));
    }
    expect(events).toEqual([]);
    expect(logged).toHaveLength(4);
  });

  it('drops, and logs, one from a non-member, from myself, or about another party', () => {
    const { voice, events, logged } = relay();
    for (const change of [
      signal('party_voice1', 'peer_zed', join),
      signal('party_voice1', 'peer_me', join),
      signal('party_other', 'peer_ann', join),
    ]) {
      expect(voice.onChange(change)).toBe(true);
    }
    expect(events).toEqual([]);
    expect(logged).toHaveLength(3);
  });

  it('leaves every other change to the rest of the app', () => {
    const { voice, events } = relay();
    expect(voice.onChange({ kind: 'status', status: {} } as never)).toBe(false);
    expect(events).toEqual([]);
  });
});
