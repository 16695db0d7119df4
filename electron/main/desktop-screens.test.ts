import { describe, expect, it } from 'vitest';
import { MAX_SCREEN_SOURCES, ScreenSourceSchema } from '../../shared/ipc/screens';
import { CHOICE_TTL_MS, DesktopScreens, type DesktopSource } from './desktop-screens';

const source = (id: string, name = id): DesktopSource => ({
  id,
  name,
  thumbnail: { toDataURL: () => `data:image/png;base64,${Buffer.from(id).toString('base64')}` },
});

function desktop(sources: DesktopSource[], systemPicker = false) {
  const clock = { now: 1_000 };
  const asked: unknown[] = [];
  const screens = new DesktopScreens(
    (options) => {
      asked.push(options);
      return Promise.resolve(sources);
    },
    { systemPicker, now: () => clock.now },
  );
  return { screens, clock, asked };
}

const DESK = [
  source('window:42:0', 'Game'),
  source('screen:0:0', 'Screen 1'),
  source('screen:1:0', 'Screen 2'),
  source('webcontents:7', 'not a desktop source'),
];

describe('DesktopScreens', () => {
  it('lists screens first, then windows, each with its picture, valid for the page', async () => {
    const { screens, asked } = desktop(DESK);
    const listed = await screens.list();
    expect(listed?.map((s) => [s.id, s.kind, s.name])).toEqual([
      ['screen:0:0', 'screen', 'Screen 1'],
      ['screen:1:0', 'screen', 'Screen 2'],
      ['window:42:0', 'window', 'Game'],
    ]);
    for (const s of listed!) expect(ScreenSourceSchema.safeParse(s).success).toBe(true);
    expect(asked).toEqual([
      {
        types: ['screen', 'window'],
        thumbnailSize: { width: 320, height: 180 },
        fetchWindowIcons: false,
      },
    ]);
  });

  it('a capture takes the source chosen, once; a second capture without a choice takes none', async () => {
    const { screens } = desktop(DESK);
    await screens.list();
    expect(screens.choose('window:42:0')).toBe(true);
    expect(screens.take(DESK)?.id).toBe('window:42:0');
    // Never a screen the user did not pick.
    expect(screens.take(DESK)).toBeNull();
  });

  it('refuses an id it did not offer, and a choice older than a minute is forgotten', async () => {
    const { screens, clock } = desktop(DESK);
    expect(screens.choose('screen:0:0')).toBe(false);
    await screens.list();
    expect(screens.choose('webcontents:7')).toBe(false);
    expect(screens.choose('screen:1:0')).toBe(true);
    clock.now += CHOICE_TTL_MS + 1;
    expect(screens.take(DESK)).toBeNull();
  });

  it('a window chosen and closed since is none, not something else', async () => {
    const { screens } = desktop(DESK);
    await screens.list();
    screens.choose('window:42:0');
    expect(screens.take(DESK.filter((s) => s.id !== 'window:42:0'))).toBeNull();
  });

  it('with the system picker (macOS): no list, and a capture takes the first screen', async () => {
    const { screens, asked } = desktop(DESK, true);
    expect(await screens.list()).toBeNull();
    expect(asked).toEqual([]);
    expect(screens.take(DESK)?.id).toBe('screen:0:0');
  });

  it('a desktop with more windows than the cap keeps every screen', async () => {
    const windows = Array.from({ length: MAX_SCREEN_SOURCES + 10 }, (_, i) =>
      source(`window:${i}:0`),
    );
    const { screens } = desktop([...windows, source('screen:0:0')]);
    const listed = (await screens.list())!;
    expect(listed).toHaveLength(MAX_SCREEN_SOURCES);
    expect(listed[0]?.id).toBe('screen:0:0');
  });
});
