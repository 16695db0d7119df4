import type { LanrageApi } from '../../shared/ipc/contract';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in headless mode and plain browsers. */
    lanrage?: LanrageApi;
    /** Commit counts per peer row, filled only when the page URL has `profile=1`. */
    __LANRAGE_PROFILE__?: Record<string, number>;
  }
}
export {};
