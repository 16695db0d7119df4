/**
 * The shell's one window, and when a launch may open it. Plain TypeScript, no electron
 * import, so it is unit-tested; index.ts only wires it to BrowserWindow.
 *
 * Electron emits `second-instance` after `ready`, possibly while boot still awaits the app
 * service (a first run makes keys and the LAN certificate). A window opened then was not the
 * one boot opened next, and IPC trusts only that one: the first stayed, every call refused.
 * So before boot a second launch only hands over its link, and boot reuses a live window.
 */
import { DeepLinkQueue, findDeepLink } from './deep-links';

export interface KeptWindow {
  isDestroyed(): boolean;
}

export interface WindowOps<W> {
  /** A new window (it shows itself once its page is ready). */
  open(): W;
  /** Brings it back from the tray or from behind other windows. */
  reveal(win: W): void;
}

export class WindowKeeper<W extends KeptWindow> {
  private win: W | null = null;
  private booted = false;

  constructor(
    private readonly ops: WindowOps<W>,
    readonly links = new DeepLinkQueue(),
  ) {}

  /** The window IPC trusts: the live one, or null. */
  current(): W | null {
    return this.win && !this.win.isDestroyed() ? this.win : null;
  }

  /** The app service is ready: the window (a live one is kept), then the held links. */
  boot(openLink: (link: string) => void): W {
    const win = this.live();
    this.booted = true;
    this.links.ready(openLink);
    return win;
  }

  /** Shows the window, opening one if it was destroyed; before boot, nothing (boot opens it). */
  show(): void {
    if (this.booted) this.ops.reveal(this.live());
  }

  /** Another launch of LANrage: the window once there is one, and its link, held until boot. */
  secondInstance(argv: readonly string[]): void {
    this.show();
    const link = findDeepLink(argv);
    if (link) this.links.push(link);
  }

  private live(): W {
    this.win = this.current() ?? this.ops.open();
    return this.win;
  }
}
