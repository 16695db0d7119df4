/**
 * One window however LANrage is launched: a second launch while the first still starts
 * (awaiting the app service) opens no window of its own, and boot keeps a live one.
 */
import { describe, expect, it } from 'vitest';
import { WindowKeeper } from './window-keeper';

class FakeWindow {
  destroyed = false;
  revealed = 0;
  constructor(readonly n: number) {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

function setup() {
  const opened: FakeWindow[] = [];
  const keeper = new WindowKeeper<FakeWindow>({
    open: () => {
      const win = new FakeWindow(opened.length + 1);
      opened.push(win);
      return win;
    },
    reveal: (win) => win.revealed++,
  });
  const links: string[] = [];
  return { keeper, opened, links, openLink: (link: string) => links.push(link) };
}

const LINK = 'lanrage://join/party_abc123';

describe('WindowKeeper', () => {
  it('a second launch during start-up: its link waits, and boot opens the one window', () => {
    const { keeper, opened, links, openLink } = setup();
    keeper.secondInstance(['/opt/LANrage/lanrage', LINK]);
    keeper.secondInstance(['/opt/LANrage/lanrage']);
    expect(opened).toEqual([]);
    expect(keeper.current()).toBeNull();
    const win = keeper.boot(openLink);
    expect(opened).toEqual([win]);
    expect(keeper.current()).toBe(win);
    expect(links).toEqual([LINK]);
  });

  it('after boot a second launch reveals the same window and delivers its link at once', () => {
    const { keeper, opened, links, openLink } = setup();
    const win = keeper.boot(openLink);
    keeper.secondInstance(['lanrage', LINK]);
    expect(opened).toEqual([win]);
    expect(win.revealed).toBe(1);
    expect(links).toEqual([LINK]);
  });

  it('boot keeps a window that is already live, and replaces a destroyed one', () => {
    const { keeper, opened, openLink } = setup();
    const first = keeper.boot(openLink);
    expect(keeper.boot(openLink)).toBe(first);
    expect(opened).toHaveLength(1);
    first.destroyed = true;
    expect(keeper.current()).toBeNull();
    keeper.show();
    expect(opened).toHaveLength(2);
    expect(keeper.current()).toBe(opened[1]);
    expect(opened[1]!.revealed).toBe(1);
  });

  it('show before boot opens nothing', () => {
    const { keeper, opened } = setup();
    keeper.show();
    expect(opened).toEqual([]);
  });
});
