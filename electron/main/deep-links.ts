/**
 * `lanrage://join/<party_id>` links reach the app as a command-line argument (Windows,
 * Linux, and a second launch forwarding its argv) or through `open-url` (macOS).
 * Plain TypeScript, no electron import, so it is unit-tested.
 */
import { INVITE_SCHEME } from '../../shared/invite';

export const PROTOCOL = INVITE_SCHEME.slice(0, -1);

/** The last `lanrage:` argument, if any; Chromium may append switches after it. */
export function findDeepLink(argv: readonly string[]): string | null {
  for (let i = argv.length - 1; i >= 0; i--) {
    const arg = argv[i]!;
    if (arg.toLowerCase().startsWith(INVITE_SCHEME)) return arg;
  }
  return null;
}

/**
 * Links that arrive before the app service is ready are held, then delivered in order;
 * later ones go straight through.
 */
export class DeepLinkQueue {
  private pending: string[] = [];
  private handler: ((link: string) => void) | null = null;

  push(link: string): void {
    if (this.handler) this.handler(link);
    else this.pending.push(link);
  }

  ready(handler: (link: string) => void): void {
    this.handler = handler;
    const held = this.pending;
    this.pending = [];
    for (const link of held) handler(link);
  }
}
