import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { InvitePreview } from '../../../shared/ipc';
import { useStore } from '../store/context';
import { Dialog } from './Dialog';
import { DialogActions, ErrorAlert } from './Feedback';

/** What an invite link leads to, and what joining would share: the user decides. */
function InviteSummary({ preview, where }: { preview: InvitePreview; where: string | null }) {
  const players = preview.peer_count === 1 ? 'player' : 'players';
  return (
    <div className="invite-summary" data-testid="invite-summary">
      {preview.name !== null ? (
        <p>
          <strong data-testid="invite-party-name">{preview.name}</strong>, hosted by{' '}
          <strong data-testid="invite-host-name">{preview.host_name ?? 'unknown'}</strong>
          {preview.peer_count !== null && ` · ${preview.peer_count} ${players}`}
          {where !== null && <span data-testid="invite-where"> · {where}</span>}
        </p>
      ) : (
        <p>LANrage could not look this party up. Join only if you trust who sent the link.</p>
      )}
      <p className="hint">Joining shares your display name, addresses and key with its members.</p>
    </div>
  );
}

export function JoinDialog() {
  const invitePreview = useStore((s) => s.invite);
  const pick = useStore((s) => s.nearbyPick);
  // A link waiting for confirmation comes first; otherwise the party picked under "nearby".
  const preview = invitePreview ?? pick?.preview ?? null;
  const where = invitePreview ? null : (pick?.where ?? null);
  const dismissInvite = useStore((s) => s.dismissInvite);
  const [invite, setInvite] = useState(preview?.party_id ?? '');
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

  function close() {
    if (invitePreview) void dismissInvite();
    openDialog(null);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!busy) void joinParty(invite);
  }
  return (
    <Dialog
      title={preview ? 'Join this party?' : 'Join a party'}
      testId="join-dialog"
      onClose={close}
    >
      <form onSubmit={submit} noValidate>
        {preview && <InviteSummary preview={preview} where={where} />}
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
        <DialogActions onCancel={close} busy={busy} submitTestId="join-submit">
          {busy ? 'Joining…' : 'Join'}
        </DialogActions>
      </form>
    </Dialog>
  );
}
