/**
 * Watches the fan-out every simulated peer of one worker receives, so a join can wait until
 * every other member of its party has the event, and counts every delivery.
 */
import type { EventSink, WireMessage } from './peer-client';

interface Wait {
  remaining: number;
  last: number;
  resolve(lastAt: number): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export const FanoutKind = { JOINED: 'peer_joined', LEFT: 'peer_left' } as const;
export type FanoutKind = (typeof FanoutKind)[keyof typeof FanoutKind];

function subjectOf(message: WireMessage): string | null {
  if (message.type === FanoutKind.LEFT) return String(message.peer_id);
  if (message.type === FanoutKind.JOINED) {
    const peer = message.peer as { peer_id?: unknown } | undefined;
    return peer ? String(peer.peer_id) : null;
  }
  return null;
}

export class FanoutTracker {
  private readonly waits = new Map<string, Wait>();
  /** peer_joined + peer_left frames received by any member, ever. */
  deliveries = 0;
  /** peer_status frames (presence changes) received by any member, ever. */
  presencePushes = 0;

  readonly sink: EventSink = (_client, message, at) => {
    if (message.type === 'peer_status') this.presencePushes++;
    const subject = subjectOf(message);
    if (subject === null) return;
    this.deliveries++;
    const key = `${message.type}|${String(message.party_id)}|${subject}`;
    const wait = this.waits.get(key);
    if (!wait) return;
    wait.last = at;
    if (--wait.remaining > 0) return;
    clearTimeout(wait.timer);
    this.waits.delete(key);
    wait.resolve(at);
  };

  /**
   * Resolves with the performance.now() of the last of `count` deliveries of the event.
   * Call it before sending the request that causes the event, so none is missed.
   */
  expect(kind: FanoutKind, partyId: string, subject: string, count: number, timeoutMs: number) {
    const key = `${kind}|${partyId}|${subject}`;
    if (count <= 0) return Promise.resolve(performance.now());
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        const missing = this.waits.get(key)?.remaining ?? 0;
        this.waits.delete(key);
        reject(new Error(`${kind} of ${subject}: ${missing} of ${count} members never got it`));
      }, timeoutMs);
      this.waits.set(key, { remaining: count, last: 0, resolve, reject, timer });
    });
  }
}
