/**
 * What a packaged LANrage's window and menu allow: no DevTools, no reload or DevTools
 * accelerators from a default menu; the renderer stays sandboxed and isolated either way.
 */
import { describe, expect, it } from 'vitest';
import { appMenuTemplate, mainWindowOptions } from './window-options';

const build = (packaged: boolean) => ({ packaged, preloadPath: '/p.cjs', iconPath: '/i.png' });

describe('main window options', () => {
  it('packaged: DevTools cannot be opened', () => {
    expect(mainWindowOptions(build(true)).webPreferences?.devTools).toBe(false);
  });

  it('in development: DevTools stay available', () => {
    expect(mainWindowOptions(build(false)).webPreferences?.devTools).toBe(true);
  });

  it('either way: sandboxed, isolated, no Node, no webviews, our preload', () => {
    for (const packaged of [true, false]) {
      expect(mainWindowOptions(build(packaged)).webPreferences).toMatchObject({
        preload: '/p.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
      });
    }
  });
});

describe('application menu', () => {
  it('packaged on Windows and Linux: none at all, so no accelerator reloads or opens DevTools', () => {
    expect(appMenuTemplate(true, 'win32')).toBeNull();
    expect(appMenuTemplate(true, 'linux')).toBeNull();
  });

  it('packaged on macOS: only the app menu (Quit) and Edit (copy and paste)', () => {
    expect(appMenuTemplate(true, 'darwin')).toEqual([{ role: 'appMenu' }, { role: 'editMenu' }]);
  });

  it('in development: Electron’s default menu, with reload and DevTools', () => {
    expect(appMenuTemplate(false, 'linux')).toBe('default');
    expect(appMenuTemplate(false, 'darwin')).toBe('default');
  });
});
