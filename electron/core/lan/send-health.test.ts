import { describe, expect, it } from 'vitest';
import { BLOCKED_AFTER, blockedNotice, SendHealth } from './send-health';

const failed = (code: string) =>
  Object.assign(new Error(`send ${code} 224.0.0.251:5353`), { code });

describe('SendHealth', () => {
  it('repeated sends a firewall refuses are told once, and cleared by one that gets out', () => {
    const told: string[] = [];
    const health = new SendHealth((m) => told.push(m));
    let changes = 0;
    health.onChange(() => changes++);
    for (let i = 1; i < BLOCKED_AFTER; i++) health.sent(failed('EPERM'));
    expect([health.blocked, told]).toEqual([false, []]);
    for (let i = 0; i < 5; i++) health.sent(failed('EPERM'));
    expect(health.blocked).toBe(true);
    expect(told).toEqual([blockedNotice('EPERM')]);
    expect(told[0]).toMatch(/^LANrage cannot search your network \(EPERM\): a firewall/);
    health.sent(null);
    expect(health.blocked).toBe(false);
    expect(changes).toBe(2);
    // Blocked again after that: told again.
    for (let i = 0; i < BLOCKED_AFTER; i++) health.sent(failed('ENETUNREACH'));
    expect(told).toEqual([blockedNotice('EPERM'), blockedNotice('ENETUNREACH')]);
  });

  it('a send that gets out between failures (another interface) keeps it unblocked', () => {
    const told: string[] = [];
    const health = new SendHealth((m) => told.push(m));
    for (let i = 0; i < 10; i++) {
      health.sent(failed('EHOSTUNREACH'));
      health.sent(null);
    }
    expect([health.blocked, told]).toEqual([false, []]);
  });

  it('errors that say nothing of the network (a packet too big) are not counted', () => {
    const health = new SendHealth(() => undefined);
    for (let i = 0; i < 10; i++) health.sent(failed('EMSGSIZE'));
    expect(health.blocked).toBe(false);
  });
});
