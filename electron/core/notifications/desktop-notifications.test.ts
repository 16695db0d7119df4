/**
 * Every desktop notification is plain text, whichever way it comes: party activity through
 * the coalescer, or the access desk's "X asks to join", whose X is a stranger's chosen name.
 */
import { describe, expect, it } from 'vitest';
import type { NotificationIntent } from '../app-service/types';
import { ManualClock } from '../test-util/manual-clock';
import { silentLogger } from '../../../shared/logger';
import { DesktopNotifications, plainText } from './desktop-notifications';

const HOSTILE = '<b>LANrage</b> & co: <a href="https://evil.example">verify</a>';

function setup() {
  const shown: NotificationIntent[] = [];
  const notes = new DesktopNotifications(new ManualClock(), silentLogger, 5000);
  notes.on((n) => shown.push(n));
  return { shown, notes };
}

describe('desktop notifications are plain text', () => {
  it('a join request naming markup: neither title nor body carries <, > or &', () => {
    const { shown, notes } = setup();
    notes.deliver({ title: '<i>Door</i>', body: `${HOSTILE} asks to join` });
    expect(shown).toEqual([
      {
        title: '‹i›Door‹/i›',
        body: '‹b›LANrage‹/b› ＆ co: ‹a href="https://evil.example"›verify‹/a› asks to join',
      },
    ]);
  });

  it('party activity through the coalescer leaves by the same door', () => {
    const { shown, notes } = setup();
    notes.add({ partyId: 'p1', partyName: '<i>LAN</i>', kind: 'joined', subject: HOSTILE });
    expect(shown).toHaveLength(1);
    expect(shown[0]!.title).toContain('‹b›LANrage‹/b› ＆ co');
    expect(shown[0]!.body).toMatch(/^‹i›LAN‹\/i›: /);
    for (const n of shown) expect(`${n.title}${n.body}`).not.toMatch(/[<>&]/);
    notes.close();
  });

  it('plainText is idempotent: escaping twice changes nothing', () => {
    expect(plainText(plainText(HOSTILE))).toBe(plainText(HOSTILE));
  });
});
