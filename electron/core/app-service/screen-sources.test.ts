import { describe, expect, it } from 'vitest';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import { screenHandlers, type ScreenSources } from './screen-sources';

const GAME = { id: 'window:42:0', name: 'Game', kind: 'window' as const, thumbnail: '' };

describe('screenHandlers', () => {
  it('without the desktop (headless): no list, so the page lets the browser ask', async () => {
    const handlers = screenHandlers(undefined);
    expect(await handlers.listScreenSources({})).toBeNull();
    await expect(handlers.chooseScreenSource({ id: 'screen:0:0' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('passes the list on, and a choice the desktop refuses is not_found in words', async () => {
    const chosen: string[] = [];
    const screens: ScreenSources = {
      list: () => Promise.resolve([GAME]),
      choose: (id) => {
        chosen.push(id);
        return id === GAME.id;
      },
    };
    const handlers = screenHandlers(screens);
    expect(await handlers.listScreenSources({})).toEqual([GAME]);
    expect(await handlers.chooseScreenSource({ id: GAME.id })).toBeNull();
    const refused = handlers.chooseScreenSource({ id: 'window:7:0' });
    await expect(refused).rejects.toBeInstanceOf(ControlPlaneError);
    await expect(refused).rejects.toThrow(/choose again/);
    expect(chosen).toEqual([GAME.id, 'window:7:0']);
  });
});
