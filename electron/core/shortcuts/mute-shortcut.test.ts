import { describe, expect, it } from 'vitest';
import { FakeShortcuts } from '../test-util/fake-shortcuts';
import { MuteShortcut } from './mute-shortcut';

function setup(host: FakeShortcuts | null = new FakeShortcuts()) {
  const reports: string[] = [];
  const told: boolean[] = [];
  let presses = 0;
  const mute = new MuteShortcut({
    host,
    pressed: () => (presses += 1),
    globalChanged: (global) => told.push(global),
    report: (message) => reports.push(message),
  });
  return { mute, host, reports, told, presses: () => presses };
}

describe('MuteShortcut', () => {
  it('holds the shortcut set, and a press reaches the page', () => {
    const { mute, host, presses } = setup();
    mute.apply('Control+Alt+M');
    expect([...host!.held.keys()]).toEqual(['Control+Alt+M']);
    expect(host!.press('Control+Alt+M')).toBe(true);
    expect(presses()).toBe(1);
    expect(mute.global).toBe(true);
  });

  it('a new shortcut replaces the old one; none lets it go', () => {
    const { mute, host } = setup();
    mute.apply('Control+Alt+M');
    mute.apply('Alt+F5');
    expect([...host!.held.keys()]).toEqual(['Alt+F5']);
    mute.apply(null);
    expect(host!.held.size).toBe(0);
  });

  it('one another app holds is said in words, and the old one is let go', () => {
    const { mute, host, reports } = setup();
    host!.taken.add('Control+Shift+M');
    mute.apply('Alt+F5');
    mute.apply('Control+Shift+M');
    expect(host!.held.size).toBe(0);
    expect(reports).toEqual([
      'The mute shortcut Ctrl+Shift+M is taken by another app on this PC, so it works only ' +
        "in LANrage's window, not in your games. Choose another one in Settings.",
    ]);
  });

  it('refused, the page is told to listen for it itself; held again or none, to stop', () => {
    const { mute, host, told } = setup();
    host!.taken.add('Control+Shift+M');
    mute.apply('Control+Alt+M');
    expect([mute.global, told]).toEqual([true, []]);
    mute.apply('Control+Shift+M');
    expect([mute.global, told]).toEqual([false, [false]]);
    // Saved again while still taken: still the page's, nothing new to tell.
    mute.apply('Control+Shift+M');
    expect(told).toEqual([false]);
    mute.apply('Alt+F5');
    expect([mute.global, told]).toEqual([true, [false, true]]);
    mute.apply('Control+Shift+M');
    mute.apply(null);
    expect([mute.global, told]).toEqual([true, [false, true, false, true]]);
  });

  it('the same shortcut saved again stays held, registered once', () => {
    const { mute, host, reports } = setup();
    mute.apply('Control+Alt+M');
    mute.apply('Control+Alt+M');
    expect([...host!.held.keys()]).toEqual(['Control+Alt+M']);
    expect(reports).toEqual([]);
  });

  it('release lets it go (the app closing)', () => {
    const { mute, host } = setup();
    mute.apply('Control+Alt+M');
    mute.release();
    expect(host!.press('Control+Alt+M')).toBe(false);
  });

  it('without the desktop (headless) it holds nothing and says the page must listen', () => {
    const { mute, reports } = setup(null);
    mute.apply('Control+Alt+M');
    expect(mute.global).toBe(false);
    expect(reports).toEqual([]);
  });
});
