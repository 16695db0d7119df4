/**
 * The main window and the app-wide web security: sandboxed, isolated renderer; a strict
 * CSP header; no navigation, no new windows, no webviews, no permission but the microphone
 * and the screen; packaged, no DevTools and no default menu (window-options.ts).
 */
import { app, BrowserWindow, desktopCapturer, dialog, Menu, session } from 'electron';
import type { DesktopCapturerSource } from 'electron';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { RendererWatch } from '../core/window/renderer-watch';
import type { AppPage } from './app-url';
import { isAppPageUrl } from './app-url';
import { DesktopScreens } from './desktop-screens';
import { allowsPermission } from './permissions';
import { devServerUrl, iconDir, PRELOAD_PATH, RENDERER_INDEX } from './paths';
import { appMenuTemplate, mainWindowOptions } from './window-options';
import { withDetail, type Logger } from '../../shared/logger';

export function appPage(): AppPage {
  return { indexFile: RENDERER_INDEX, devUrl: devServerUrl() };
}

/** Applies to every web contents the app ever creates, before any of them exists. */
export function hardenWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppPageUrl(url, appPage())) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/** The screens and windows screen sharing may take (desktop-screens.ts). */
export function desktopScreens(): DesktopScreens<DesktopCapturerSource> {
  return new DesktopScreens((options) => desktopCapturer.getSources(options), {
    systemPicker: process.platform === 'darwin',
    now: () => Date.now(),
  });
}

/** CSP as a response header too (index.html also carries it as a meta tag). */
export function installSessionPolicy(screens: DesktopScreens<DesktopCapturerSource>): void {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
  // The microphone and the screen, asked by our page; nothing else (permissions.ts).
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    const ask = { permission, requestingUrl: details.requestingUrl, mediaTypes };
    callback(allowsPermission(ask, appPage()));
  });
  installDisplayMediaHandler(ses, screens);
  ses.setPermissionCheckHandler((_contents, permission, _origin, details) => {
    const mediaTypes = details.mediaType ? [details.mediaType] : undefined;
    return allowsPermission(
      { permission, requestingUrl: details.requestingUrl, mediaTypes },
      appPage(),
    );
  });
}

/**
 * getDisplayMedia: the system's picker where Electron has one (macOS), else what the user
 * chose in the page's picker (desktop-screens.ts); only for our page.
 */
function installDisplayMediaHandler(
  ses: Electron.Session,
  screens: DesktopScreens<DesktopCapturerSource>,
): void {
  ses.setDisplayMediaRequestHandler(
    (request, callback) => {
      const url = request.frame?.url;
      if (url === undefined || !isAppPageUrl(url, appPage()) || !request.videoRequested) {
        callback(null);
        return;
      }
      desktopCapturer
        .getSources({ types: ['screen', 'window'], thumbnailSize: { width: 0, height: 0 } })
        .then((sources) => {
          const source = screens.take(sources);
          callback(source ? { video: source } : null);
        })
        .catch(() => callback(null));
    },
    { useSystemPicker: true },
  );
}

export function createMainWindow(logger: Logger): BrowserWindow {
  const win = new BrowserWindow(
    mainWindowOptions({
      packaged: app.isPackaged,
      preloadPath: PRELOAD_PATH,
      iconPath: join(iconDir(), 'app.png'),
    }),
  );
  win.once('ready-to-show', () => win.show());
  const dev = devServerUrl();
  const loading = dev ? win.loadURL(dev) : win.loadFile(RENDERER_INDEX);
  loading.catch((err: unknown) => logger.error(withDetail('cannot load the UI', err, true)));
  return win;
}

/** The application menu for this build (window-options.ts); in development, Electron's own. */
export function installAppMenu(): void {
  const template = appMenuTemplate(app.isPackaged, process.platform);
  if (template === 'default') return;
  Menu.setApplicationMenu(template && Menu.buildFromTemplate(template));
}

/** Reloads the window's page when it crashes, and asks what to do when it hangs. */
export function watchRenderer(win: BrowserWindow): RendererWatch {
  const watch = new RendererWatch(
    {
      reload: () => win.webContents.reload(),
      ask: (box, signal) =>
        dialog
          .showMessageBox(win, { ...box, type: 'warning', signal, cancelId: 0, noLink: true })
          .then((answer) => answer.response),
      tell: (box) => void dialog.showMessageBox(win, { ...box, type: 'error' }),
    },
    () => performance.now(),
  );
  win.webContents.on('render-process-gone', (_event, details) => watch.gone(details.reason));
  win.on('unresponsive', () => watch.unresponsive());
  win.on('responsive', () => watch.responsive());
  return watch;
}

/** Brings the window back from the tray or from behind other windows. */
export function revealWindow(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
