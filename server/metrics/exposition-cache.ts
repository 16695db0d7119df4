/**
 * `/metrics` built at most once a window, whoever scrapes: a build (prom-client's default
 * metrics and the histograms) costs about 1 ms of the event loop, and `/metrics` is open to
 * anyone without `--metrics-token-file`. One address scraping on 8 keep-alive sockets held it
 * nearly busy (3 960 answers in 4 s) and members' round trips went from 1.2 to 11 ms (p50).
 */
import type { Exposition } from './metrics-api';

/** How long one build is served: Prometheus scrapes every 10-60 s, so nothing it reads is older. */
export const EXPOSITION_CACHE_MS = 1000;

type Text = Awaited<ReturnType<Exposition['exposition']>>;

export class CachedExposition implements Exposition {
  private held: { at: number; text: Promise<Text> } | null = null;

  constructor(
    private readonly source: Exposition,
    private readonly now: () => number,
    private readonly windowMs = EXPOSITION_CACHE_MS,
  ) {}

  /** The build of the last window (scrapes during a build share it); a failed one is not kept. */
  exposition(): Promise<Text> {
    const now = this.now();
    const held = this.held;
    // A clock set back starts a window too.
    if (held && now >= held.at && now - held.at < this.windowMs) return held.text;
    const text = this.source.exposition();
    this.held = { at: now, text };
    text.catch(() => {
      if (this.held?.text === text) this.held = null;
    });
    return text;
  }
}
