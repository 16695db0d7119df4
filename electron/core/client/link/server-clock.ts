/**
 * How far the linked server's clock is from this PC's. Everything the server dates (when a
 * join request expires, when a member was last seen, an invite's expiry) is on its clock;
 * read against a PC clock that is minutes off (no time sync, a dual boot keeping local time)
 * a host never saw join requests and a guest's wait ended as it began. Estimated as NTP does
 * from one exchange: the server's time against the middle of our send and receive, keeping
 * the sample with the shortest round trip of the last few (its error is at most half of it).
 */
import { parseTimestamp } from '../../../../shared/time/timestamp';

/** Samples kept: a short round trip among them outweighs a long one now. */
const SAMPLES = 8;
/**
 * Further off than this is not believed: a server claiming another day would move every
 * date it sends (time zones put a misset clock at most 14 h off).
 */
export const MAX_CLOCK_OFFSET_MS = 48 * 3_600_000;

interface Sample {
  offsetMs: number;
  rttMs: number;
}

export class ServerClock {
  private samples: Sample[] = [];

  /** Server time minus our time, ms (0 until a sample). */
  get offsetMs(): number {
    let best: Sample | null = null;
    for (const s of this.samples) if (best === null || s.rttMs < best.rttMs) best = s;
    return best?.offsetMs ?? 0;
  }

  /** A new server: what was learnt of the last one no longer holds. */
  reset(): void {
    this.samples = [];
  }

  /** One exchange: sent and answered at these local times, the server saying `serverTime`. */
  observe(serverTime: string | undefined, sentAt: number, receivedAt: number): void {
    const at = serverTime === undefined ? null : parseTimestamp(serverTime);
    const rttMs = receivedAt - sentAt;
    if (at === null || !(rttMs >= 0)) return;
    const offsetMs = Math.round(at.getTime() - (sentAt + rttMs / 2));
    if (Math.abs(offsetMs) > MAX_CLOCK_OFFSET_MS) return;
    this.samples.push({ offsetMs, rttMs });
    if (this.samples.length > SAMPLES) this.samples.shift();
  }

  /** A time on the server's clock, on ours. */
  toLocal(serverMs: number): number {
    return serverMs - this.offsetMs;
  }
}
