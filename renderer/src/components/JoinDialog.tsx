import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useStore } from '../store/context';
import { Dialog } from './Dialog';
import { DialogActions, ErrorAlert } from './Feedback';

export function JoinDialog() {
  const [invite, setInvite] = useState('');
  const busy = useStore((s) => s.busy.join === true);
  const error = useStore((s) => s.errors.join);
  const joinParty = useStore((s) => s.joinParty);
  const openDialog = useStore((s) => s.openDialog);
  const clearError = useStore((s) => s.clearError);
  const input = useRef<HTMLInputElement>(null);
  // The submit button was disabled while joining, which dropped focus: put it back where
  // the user fixes the mistake.
  useEffect(() => {
    if (error) input.current?.focus();
  }, [error]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!busy) void joinParty(invite);
  }
  return (
    <Dialog title="Join a party" testId="join-dialog" onClose={() => openDialog(null)}>
      <form onSubmit={submit} noValidate>
        <label className="field">
          <span className="label">Party ID or invite link</span>
          <input
            ref={input}
            data-testid="join-input"
            value={invite}
            placeholder="party_abc123 or lanrage://join/…"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'join-error' : undefined}
            onChange={(e) => {
              setInvite(e.target.value);
              if (error) clearError('join');
            }}
          />
        </label>
        <ErrorAlert message={error} id="join-error" testId="join-error" />
        <DialogActions onCancel={() => openDialog(null)} busy={busy} submitTestId="join-submit">
          {busy ? 'Joining…' : 'Join'}
        </DialogActions>
      </form>
    </Dialog>
  );
}
