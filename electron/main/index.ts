/**
 * The Electron shell: only wiring. One instance per user; the app service (the same core
 * the headless mode runs) starts with the app and is closed, flushing state, on quit.
 */
import { app, dialog, powerMonitor } from 'electron';
import type { BrowserWindow, Event } from 'electron';
import { resolve } from 'node:path';
import { withDetail } from '../../shared/logger';
import { createDefaultAppService } from '../core/app-service/factory';
import { consoleLogger as logger } from '../core/logger';
import type { AppService } from '../core/app-service/types';
import type { RendererWatch } from '../core/window/renderer-watch';
import { findDeepLink, PROTOCOL } from './deep-links';
import { registerIpc } from './ipc';
import { showNotifications } from './notifications';
import { globalShortcuts } from './shortcuts';
import { createTray } from './tray';
import {
  createMainWindow,
  desktopScreens,
  hardenWebContents,
  installAppMenu,
  installSessionPolicy,
  revealWindow,
  watchRenderer,
} from './window';
import { WindowKeeper } from './window-keeper';

const cleanups: (() => void)[] = [];
const windows = new WindowKeeper<BrowserWindow>({
  open: openWindow,
  reveal: (win) => {
    revealWindow(win);
    rendererWatch?.shown();
  },
});
let rendererWatch: RendererWatch | null = null;
let service: AppService | null = null;
let quitting = false;
let shutdown: Promise<void> | null = null;
let shutDown = false;

function registerProtocol(): void {
  // Started as `electron .` in development: the OS must relaunch electron with our entry.
  if (process.defaultApp && process.argv[1]) {
    app.setAsDefaultProtocolClient(PROTOCOL, process.execPath, [resolve(process.argv[1])]);
  } else {
    app.setAsDefaultProtocolClient(PROTOCOL);
  }
}

function showWindow(): void {
  windows.show();
}

function openWindow(): BrowserWindow {
  const win = createMainWindow(logger);
  rendererWatch = watchRenderer(win);
  // Closing the window keeps LANrage (and the heartbeat) running in the tray.
  win.on('close', (event) => {
    if (quitting) return;
    event.preventDefault();
    win.hide();
  });
  return win;
}

/** A clicked invite link only fills in the join dialog: the user confirms before joining. */
function openInviteLink(link: string): void {
  if (!service) return;
  showWindow();
  service
    .openInvite(link)
    .catch((err: unknown) => logger.error(withDetail('invite link', err, true)));
}

async function boot(): Promise<void> {
  const screens = desktopScreens();
  installSessionPolicy(screens);
  installAppMenu();
  const started = await createDefaultAppService({
    env: process.env,
    logger,
    screens,
    shortcuts: globalShortcuts(),
  });
  service = started;
  cleanups.push(registerIpc(started, () => windows.current(), logger));
  cleanups.push(createTray(started, { showWindow, quit: () => app.quit(), logger }));
  cleanups.push(showNotifications(started, showWindow));
  // The party hears this PC went to sleep, not that it died (app-service/going-to-sleep.ts).
  powerMonitor.on('suspend', () => void service?.goingToSleep());
  windows.boot(openInviteLink);
}

/** Holds the quit until the app service has closed (state flushed), then quits for real. */
function onBeforeQuit(event: Event): void {
  quitting = true;
  if (shutDown) return;
  event.preventDefault();
  shutdown ??= (async () => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
    await service?.close();
  })()
    .catch((err: unknown) => logger.error(withDetail('error while closing', err, true)))
    .finally(() => {
      shutDown = true;
      app.quit();
    });
}

function fatal(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  logger.error(withDetail('failed to start', err, true));
  dialog.showErrorBox('LANrage cannot start', message);
  app.exit(1);
}

function start(): void {
  registerProtocol();
  hardenWebContents();
  app.on('second-instance', (_event, argv) => windows.secondInstance(argv));
  // macOS delivers links here, possibly before 'ready'.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    windows.links.push(url);
  });
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    // Stay alive in the tray; quitting is explicit (tray menu, Cmd+Q).
  });
  app.on('before-quit', onBeforeQuit);
  const initial = findDeepLink(process.argv);
  if (initial) windows.links.push(initial);
  app.whenReady().then(boot).catch(fatal);
}

if (app.requestSingleInstanceLock()) start();
else app.quit();
