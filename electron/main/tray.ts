/**
 * The tray icon is the heartbeat indicator (tray-model.ts decides icon and tooltip); its
 * menu shows the window, copies the party ID, leaves the party, quits.
 */
import { clipboard, Menu, nativeImage, Tray } from 'electron';
import type { NativeImage } from 'electron';
import { join } from 'node:path';
import type { AppService } from '../core/app-service/types';
import { dispatch } from '../core/app-service/ipc-registry';
import { withDetail, type Logger } from '../../shared/logger';
import { TRAY_ICONS, trayIndicator } from '../core/tray/tray-model';
import type { TrayIcon } from '../core/tray/tray-model';
import { iconDir } from './paths';

export const TRAY_REFRESH_MS = 5000;

export interface TrayActions {
  showWindow(): void;
  quit(): void;
  /** The shell's logger: a failed menu action is said there. */
  logger: Logger;
}

function loadIcons(): Record<TrayIcon, NativeImage> {
  const icons = {} as Record<TrayIcon, NativeImage>;
  // createFromPath picks up the @2x file beside each icon on HiDPI screens.
  for (const icon of TRAY_ICONS)
    icons[icon] = nativeImage.createFromPath(join(iconDir(), `tray-${icon}.png`));
  return icons;
}

export function createTray(service: AppService, actions: TrayActions): () => void {
  const icons = loadIcons();
  const tray = new Tray(icons.idle);
  let shown: { icon: TrayIcon; tooltip: string; partyId: string | null } | null = null;

  const refresh = (): void => {
    const { status, party, myPeerId, presence, waiting } = service.trayInputs();
    const now = Date.now();
    const { icon, tooltip } = trayIndicator(status, party, myPeerId, now, presence, waiting);
    const partyId = party?.partyId ?? null;
    if (shown?.icon !== icon) tray.setImage(icons[icon]);
    if (shown?.tooltip !== tooltip) tray.setToolTip(tooltip);
    if (shown?.partyId !== partyId) tray.setContextMenu(buildMenu(service, actions, partyId));
    shown = { icon, tooltip, partyId };
  };

  tray.on('click', () => actions.showWindow());
  refresh();
  const timer = setInterval(refresh, TRAY_REFRESH_MS);
  const unsubscribe = service.onStateEvent((event) => {
    if (event.type !== 'discovered') refresh();
  });
  return () => {
    clearInterval(timer);
    unsubscribe();
    tray.destroy();
  };
}

function buildMenu(service: AppService, actions: TrayActions, partyId: string | null): Menu {
  return Menu.buildFromTemplate([
    { label: 'Show LANrage', click: () => actions.showWindow() },
    { type: 'separator' },
    {
      label: 'Copy party ID',
      enabled: partyId !== null,
      click: () => {
        if (partyId) {
          clipboard
            .writeText(partyId)
            .catch((err: unknown) => actions.logger.warn(withDetail('copy failed', err)));
        }
      },
    },
    {
      label: 'Leave party',
      enabled: partyId !== null,
      click: () => {
        void dispatch(service.handlers, 'leaveParty', {}, actions.logger);
      },
    },
    { type: 'separator' },
    { label: 'Quit LANrage', click: () => actions.quit() },
  ]);
}
