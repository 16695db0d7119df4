/**
 * A refusal that names its wait (too many wrong passwords: the server's `retry_after_s`),
 * counted down on the UI's one clock. Shown as the server wrote it, it said "try again in 24 s"
 * for as long as the dialog stayed open, and Join stayed enabled meanwhile.
 */
import type { BusyAction, RetryWait } from '../../store/app-store';
import { useClock } from '../../store/clock';
import { useStore } from '../../store/context';
import { ErrorAlert } from '../common/Feedback';

/** Whole seconds left of `wait` at `now`: never more than it named, 0 once it is over. */
export function secondsLeft(wait: RetryWait, now: number): number {
  return Math.min(wait.seconds, Math.max(0, Math.ceil((wait.until - now) / 1000)));
}

const NAMED_WAIT = /\bin \d+ s\b/;

/** The refusal's sentence with the seconds left in place of those it came with. */
export function waitText(message: string, left: number): string {
  if (left <= 0) return 'You can try again now.';
  if (NAMED_WAIT.test(message)) return message.replace(NAMED_WAIT, `in ${left} s`);
  return `${message} (try again in ${left} s)`;
}

/** Seconds left of the wait the action's error named; null when it named none. */
export function useRetryLeft(action: BusyAction): number | null {
  const wait = useStore((s) => s.retryWait[action]);
  return useClock((now) => (wait === undefined ? null : secondsLeft(wait, now)));
}

/** Whether the action must not be asked again yet. */
export function useRetryBlocked(action: BusyAction): boolean {
  const left = useRetryLeft(action);
  const error = useStore((s) => s.errors[action]);
  return error !== undefined && left !== null && left > 0;
}

interface Props {
  action: BusyAction;
  message: string | undefined;
  id: string;
  testId: string;
}

/** The action's error; one naming a wait counts it down, then says the user may try again. */
export function ErrorWithWait({ action, message, id, testId }: Props) {
  const left = useRetryLeft(action);
  if (!message || left === null) return <ErrorAlert message={message} id={id} testId={testId} />;
  if (left === 0) {
    return (
      <p id={id} className="hint" role="status" data-testid={testId}>
        {waitText(message, 0)}
      </p>
    );
  }
  // Announced once as it appears: a timer's ticks are not read out each second.
  return (
    <p id={id} className="error" role="alert" data-testid={testId}>
      <span role="timer">{waitText(message, left)}</span>
    </p>
  );
}
