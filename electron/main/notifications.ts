/** Desktop notifications for the app service's intents (peer joined / left, party closed). */
import { Notification } from 'electron';
import { join } from 'node:path';
import type { AppService } from '../core/app-service/types';
import { iconDir } from './paths';

export function showNotifications(service: AppService, onClick: () => void): () => void {
  return service.onNotification(({ title, body }) => {
    if (!Notification.isSupported()) return;
    const note = new Notification({ title, body, icon: join(iconDir(), 'app.png'), silent: false });
    note.on('click', onClick);
    note.show();
  });
}
