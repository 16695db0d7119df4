import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LinkState } from './peer-link';
import { CONNECT_DEADLINE_MS } from './peer-link';
import { DIRECT_ONLY, RtcPeer } from './rtc-peer';

/** The little of RTCPeerConnection RtcPeer touches before a call is set up. */
class FakePeerConnection {
  static made: FakePeerConnection[] = [];
  connectionState: RTCPeerConnectionState = 'new';
  onicecandidate: unknown = null;
  onconnectionstatechange: (() => void) | null = null;
  ontrack: unknown = null;
  closed = false;
  constructor() {
    FakePeerConnection.made.push(this);
  }
  become(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.onconnectionstatechange?.();
  }
  close(): void {
    this.closed = true;
  }
}

function peer() {
  const states: LinkState[] = [];
  const link = new RtcPeer(
    { onIceCandidate: () => undefined, onState: (s) => states.push(s) },
    DIRECT_ONLY,
  );
  return { link, states, pc: FakePeerConnection.made.at(-1)! };
}

beforeEach(() => {
  vi.useFakeTimers();
  FakePeerConnection.made = [];
  vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('RtcPeer', () => {
  it('counts a link never connected within the deadline as failed, so retries take over', () => {
    const { states, pc } = peer();
    pc.become('connecting');
    vi.advanceTimersByTime(CONNECT_DEADLINE_MS - 1);
    expect(states).toEqual(['connecting']);
    vi.advanceTimersByTime(1);
    expect(states).toEqual(['connecting', 'failed']);
  });

  it('a link that connected in time, or was closed, is never failed by the deadline', () => {
    const connected = peer();
    connected.pc.become('connected');
    connected.pc.become('disconnected');
    const closed = peer();
    closed.link.close();
    vi.advanceTimersByTime(2 * CONNECT_DEADLINE_MS);
    expect(connected.states).toEqual(['connected', 'connecting']);
    expect(closed.states).toEqual([]);
  });
});
