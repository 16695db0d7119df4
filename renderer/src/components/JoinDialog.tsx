import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { InvitePreview } from '../../../shared/app-state';
import { useStore } from '../store/context';
import { Dialog } from './Dialog';
import { DialogActions, ErrorAlert } from './Feedback';
import { invalidProps } from './FieldError';
import { asksPassword, isPasswordRefusal, joinDialogStart } from './join-text';

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

/** While the host decides: a plain sentence, and Cancel withdraws the request. */
function Waiting({ onCancel }: { onCancel: () => void }) {
  return (
    <div data-testid="join-waiting">
      <p className="waiting" role="status">
        <span className="waiting-mark" aria-hidden="true">
          ●
        </span>
        Waiting for the host to let you in...
      </p>
      <div className="dialog-actions">
        <button type="button" className="button" data-testid="join-cancel-wait" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

export function JoinDialog() {
  const invitePreview = useStore((s) => s.invite);
  const pick = useStore((s) => s.nearbyPick);
  // A link waiting for confirmation comes first; otherwise the party picked nearby or in Browse.
  const preview = invitePreview ?? pick?.preview ?? null;
  const where = invitePreview ? null : (pick?.where ?? null);
  const waiting = useStore((s) => s.pendingJoin !== null);
  const dismissInvite = useStore((s) => s.dismissInvite);
  const cancelJoin = useStore((s) => s.cancelJoin);
  const [invite, setInvite] = useState(() => joinDialogStart(preview));
  const [password, setPassword] = useState('');
  const busy = useStore((s) => s.busy.join === true);
  const error = useStore((s) => s.errors.join);
  const refusal = useStore((s) => s.errorCodes.join ?? null);
  const joinParty = useStore((s) => s.joinParty);
  const openDialog = useStore((s) => s.openDialog);
  const clearError = useStore((s) => s.clearError);
  const input = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  // Once the party said it wants a password, the field stays while the user retypes it.
  const [asked, setAsked] = useState(false);
  if (!asked && isPasswordRefusal(refusal)) setAsked(true);
  const needsPassword = asked || asksPassword(preview, refusal);
  // The submit button was disabled while joining, which dropped focus: put it back where
  // the user fixes the mistake (the password, when that was it).
  useEffect(() => {
    if (!error) return;
    (isPasswordRefusal(refusal) ? passwordInput : input).current?.focus();
  }, [error, refusal]);

  function close() {
    if (waiting) void cancelJoin();
    if (invitePreview) void dismissInvite();
    openDialog(null);
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!busy) void joinParty(invite, needsPassword ? password : undefined);
  }
  const title = preview ? 'Join this party?' : 'Join a party';
  return (
    <Dialog title={title} testId="join-dialog" onClose={close}>
      {waiting ? (
        <Waiting onCancel={close} />
      ) : (
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
              {...invalidProps('join-error', isPasswordRefusal(refusal) ? undefined : error)}
              onChange={(e) => {
                setInvite(e.target.value);
                if (error) clearError('join');
              }}
            />
          </label>
          {needsPassword && (
            <label className="field">
              <span className="label">Password</span>
              <input
                ref={passwordInput}
                type="password"
                autoComplete="off"
                data-testid="join-password"
                value={password}
                {...invalidProps('join-error', isPasswordRefusal(refusal) ? error : undefined)}
                onChange={(e) => {
                  setPassword(e.target.value);
                  if (error) clearError('join');
                }}
              />
            </label>
          )}
          <ErrorAlert message={error} id="join-error" testId="join-error" />
          <DialogActions onCancel={close} busy={busy} submitTestId="join-submit">
            {busy ? 'Joining…' : 'Join'}
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}
