/** The pieces every form and dialog shows the same way: its error, and its Cancel/submit row. */
import type { ReactNode } from 'react';

export function ErrorAlert({
  message,
  id,
  testId,
}: {
  message: string | null | undefined;
  id?: string;
  testId?: string;
}) {
  if (!message) return null;
  return (
    <p id={id} className="error" role="alert" data-testid={testId}>
      {message}
    </p>
  );
}

interface DialogActionsProps {
  onCancel: () => void;
  busy: boolean;
  /** Not busy, but not to be pressed yet (a wait the server named). */
  disabled?: boolean;
  submitTestId: string;
  children: ReactNode;
}

/** Cancel, then the submit button that is disabled and announced busy while the work runs. */
export function DialogActions({
  onCancel,
  busy,
  disabled = false,
  submitTestId,
  children,
}: DialogActionsProps) {
  return (
    <div className="dialog-actions">
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button
        type="submit"
        className="button button-primary"
        data-testid={submitTestId}
        disabled={busy || disabled}
        aria-busy={busy}
      >
        {children}
      </button>
    </div>
  );
}
