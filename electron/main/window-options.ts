/**
 * The main window's options and the application menu, decided from the build and platform.
 * Plain TypeScript (electron's types only), so a test checks what a packaged build gets.
 *
 * A packaged LANrage has no DevTools and no default menu: the console holds window.lanrage,
 * the whole IPC contract, which invites "paste this to get…" self-XSS (join a stranger's
 * server, change settings, list screen thumbnails). The default menu's accelerators (Ctrl+R,
 * Ctrl+Shift+I) work even when autoHideMenuBar hides it, so it goes too.
 */
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';

export interface WindowBuild {
  /** app.isPackaged: an installed build, not `electron-vite dev` or `preview`. */
  packaged: boolean;
  preloadPath: string;
  iconPath: string;
}

export function mainWindowOptions(build: WindowBuild): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'LANrage',
    backgroundColor: '#0f1117',
    icon: build.iconPath,
    autoHideMenuBar: true,
    webPreferences: {
      preload: build.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      devTools: !build.packaged,
    },
  };
}

/**
 * The application menu: in development Electron's default (reload, DevTools); packaged,
 * none, except on macOS a minimal one, whose Edit menu is what makes copy and paste work
 * there and whose app menu holds Quit.
 */
export function appMenuTemplate(
  packaged: boolean,
  platform: NodeJS.Platform,
): 'default' | MenuItemConstructorOptions[] | null {
  if (!packaged) return 'default';
  return platform === 'darwin' ? [{ role: 'appMenu' }, { role: 'editMenu' }] : null;
}
