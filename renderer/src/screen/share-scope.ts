/**
 * What "Share your screen" will share on this PC, so the panel can say it before anything is
 * shown. The desktop app has the system's picker only on macOS; elsewhere it shares the whole
 * main screen (electron/main/window.ts's display-media handler). A browser (headless mode)
 * always asks.
 */
export type ShareScope = 'main-screen' | 'chosen';

export function shareScope(userAgent: string): ShareScope {
  const desktopApp = /\bElectron\/\d/.test(userAgent);
  const mac = /\bMacintosh\b/.test(userAgent);
  return desktopApp && !mac ? 'main-screen' : 'chosen';
}

export const SHARE_SCOPE_TEXT: Record<ShareScope, string> = {
  'main-screen':
    'It shows your whole main screen, not one window: close what you would not show first.',
  chosen: 'You choose the screen or window to show.',
};
