/**
 * The relay's own checks, for what a server could push (the server is untrusted too): only a
 * voice signal from another member of my party reaches the renderer.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../test-util/manual-clock';
import type { StateEvent } from '../../../shared/ipc/app-state';
import { PartyInfo } from '../../../shared/model';
import { makePeer as peer } from '../test-util/fixtures';
import type { ControlPlaneApi } from '../types';
import { DROP_LOG_GAP_MS, MAX_DROP_SENDERS } from './drop-log';
import { DROPPED, SignalRelay } from './signal-relay';
import { MemoryLogger } from '../../../shared/test-support/memory-logger';

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
  const logger = new MemoryLogger();
  const clock = new ManualClock();
  const voice = new SignalRelay({
    control: () => control,
    emit: (event) => events.push(event),
    logger,
    clock,
  });
  /** Why each line written said a signal was dropped. */
  const logged = () => logger.lines.map((line) => line.message.split(': {')[0]);
  /** What each line said about it (the JSON after the reason). */
  const details = () =>
    logger.lines.map((line): unknown => JSON.parse(line.message.split(': ')[1]!));
  return { voice, events, logger, logged, details, clock };
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

  it('drops one that is neither, or mixes both, and says so', () => {
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
    // One sender: one line a minute, whatever it sends.
    expect(logged()).toEqual([DROPPED.UNREADABLE]);
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
    // Not "from a member of my party" (a well-formed signal from a stranger used to read so).
    expect(logged()).toEqual([DROPPED.NOT_MEMBER, DROPPED.NOT_MEMBER, DROPPED.NOT_MEMBER]);
  });

  it('says a dropped signal as a warning: it is what another app sent, not a fault here', () => {
    const { voice, logger } = relay();
    voice.onChange(signal('party_voice1', 'peer_zed', join));
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        message: `${DROPPED.NOT_MEMBER}: {"partyId":"party_voice1","from":"peer_zed"}`,
      },
    ]);
  });

  it('logs a flood once a minute per sender, with how many it dropped meanwhile', async () => {
    const { voice, logged, details, clock } = relay();
    const junk = (from: string) => signal('party_voice1', from, { voice: { kind: 'junk' } });
    for (let i = 0; i < 900; i++) {
      voice.onChange(junk('peer_ann'));
      await clock.advance(50);
    }
    // 45 s of junk at 20 a second: one line; a stranger's signal still gets its own.
    expect(logged()).toEqual([DROPPED.UNREADABLE]);
    voice.onChange(signal('party_voice1', 'peer_zed', join));
    expect(logged()).toEqual([DROPPED.UNREADABLE, DROPPED.NOT_MEMBER]);
    await clock.advance(DROP_LOG_GAP_MS);
    voice.onChange(junk('peer_ann'));
    expect(logged()).toHaveLength(3);
    expect(details()[2]).toEqual({
      partyId: 'party_voice1',
      from: 'peer_ann',
      alsoDroppedSinceLastLine: 899,
    });
  });

  it('remembers a bounded number of senders', () => {
    const { voice, logged } = relay();
    for (let i = 0; i <= MAX_DROP_SENDERS; i++) {
      voice.onChange(signal('party_voice1', `peer_x${i}`, join));
    }
    expect(logged()).toHaveLength(MAX_DROP_SENDERS + 1);
    // The first was forgotten to make room: it is logged again at once.
    voice.onChange(signal('party_voice1', 'peer_x0', join));
    expect(logged()).toHaveLength(MAX_DROP_SENDERS + 2);
    voice.onChange(signal('party_voice1', `peer_x${MAX_DROP_SENDERS}`, join));
    expect(logged()).toHaveLength(MAX_DROP_SENDERS + 2);
  });

  it('leaves every other change to the rest of the app', () => {
    const { voice, events } = relay();
    expect(voice.onChange({ kind: 'status', status: {} } as never)).toBe(false);
    expect(events).toEqual([]);
  });
});
