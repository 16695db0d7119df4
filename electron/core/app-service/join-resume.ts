/**
 * My join waiting for the host, across app restarts. While it waits it is saved
 * (waiting-join-file.ts); an app that closed or crashed meanwhile asks the server where it
 * stands when it starts again (`resume`): let in while it was away, it is in the party;
 * still waiting, it waits on; refused, the user is told why. While the server (or the host,
 * without one) cannot be reached it asks again every RETRY_MS, for at most GIVE_UP_MS past
 * the request's expiry, then tells the user it could not find out.
 */
import type { Clock, TimerHandle } from '../../../shared/time/clock';
import type { PendingJoin } from '../../../shared/ipc/access';
import type { Report } from '../notices';
import type { ResumeOutcome } from './party-actions';
import { WaitingJoinFile } from './waiting-join-file';

const RETRY_MS = 5_000;
/** An accepted joiner that never came back is removed by the server's sweep before this. */
const GIVE_UP_MS = 5 * 60_000;

export interface JoinResumeHost {
  instanceDir: string;
  clock: Clock;
  report: Report;
  /** Asks about the join in the service's queue (one state change at a time). */
  resume(partyId: string): Promise<ResumeOutcome>;
}

export class JoinResume {
  private readonly file: WaitingJoinFile;
  private timer: TimerHandle | null = null;
  /** Closing: a join that stops waiting now stays saved for the next start. */
  private closing = false;

  constructor(private readonly host: JoinResumeHost) {
    this.file = new WaitingJoinFile(host.instanceDir, host.report, () => host.clock.now());
  }

  /** My waiting join changed (null: it ended, whichever way). */
  changed(pending: PendingJoin | null): void {
    if (!this.closing) void this.file.save(pending);
  }

  /** Asks about the join the last run left waiting, if any (not awaited: it may wait long). */
  async start(): Promise<void> {
    const saved = await this.file.load();
    if (saved) this.attempt(saved);
  }

  /** From now on the saved join stays as it is; no more asking. Resolves once it is on disk. */
  close(): Promise<void> {
    this.closing = true;
    if (this.timer) this.host.clock.clearTimeout(this.timer);
    this.timer = null;
    return this.file.flushed();
  }

  private attempt(saved: PendingJoin): void {
    this.timer = null;
    void this.host.resume(saved.party_id).then(
      (outcome) => this.after(saved, outcome),
      (error: unknown) => this.after(saved, { settled: true, error: asError(error) }),
    );
  }

  private async after(saved: PendingJoin, outcome: ResumeOutcome): Promise<void> {
    if (this.closing) return;
    const name = saved.party_name ?? saved.party_id;
    if (outcome.settled) {
      await this.file.save(null);
      if (outcome.error) this.host.report(`Your request to join ${name}: ${outcome.error.message}`);
      return;
    }
    if (this.host.clock.now() <= Date.parse(saved.expires_at) + GIVE_UP_MS) {
      this.timer = this.host.clock.setTimeout(() => this.attempt(saved), RETRY_MS);
      return;
    }
    await this.file.save(null);
    this.host.report(
      `LANrage could not find out whether the host of ${name} let you in while LANrage was closed: the party could not be reached. Ask to join again once it can.`,
    );
  }
}

const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error));
