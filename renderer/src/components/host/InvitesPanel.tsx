import { useEffect, useRef } from 'react';
import { useClock } from '../../store/clock';
import { useStore } from '../../store/context';
import type { InviteView } from '../../../../shared/ipc/access';
import { expiryWords, INVITE_EXPIRY_CHOICES, usesWords } from './access-text';
import { CopyButton } from '../common/CopyButton';
import { ErrorAlert } from '../common/Feedback';
import { TextField } from '../common/FormFields';
import { readInviteForm } from './invite-form';
import { useCheckedForm } from '../common/use-checked-form';

interface RowProps {
  invite: InviteView;
  index: number;
  /** Revoke disables its button and removes the row: focus must go somewhere that stays. */
  onRevoked: () => void;
}

function InviteRow({ invite, index, onRevoked }: RowProps) {
  const link = invite.link;
  const revoke = useStore((s) => s.revokeInvite);
  const busy = useStore((s) => s.busy.invites === true);
  // The server dates the expiry: read against its clock, not this PC's.
  const offset = useStore((s) => s.status?.serverClockOffsetMs ?? 0);
  const expiry = useClock((now) => expiryWords(invite.expires_at, now + offset));
  const label = `Invite ${index + 1}`;
  return (
    <li className="invite-item" data-testid="invite-item" aria-label={label}>
      <code className="invite-link" data-testid="invite-item-link" title={link}>
        {link}
      </code>
      <span className="hint" data-testid="invite-item-limits">
        {expiry} · {usesWords(invite.uses, invite.max_uses)}
      </span>
      <span className="invite-item-actions">
        <CopyButton text={link} label="Copy link" what="the link" testId="copy-invite-item" />
        {invite.url !== null && (
          <CopyButton
            text={invite.url}
            label="Copy web link"
            what="the web link"
            testId="copy-invite-web"
          />
        )}
        <button
          type="button"
          className="button button-small"
          data-testid="revoke-invite"
          aria-label={`Revoke ${label.toLowerCase()}`}
          disabled={busy}
          onClick={() => void revoke(invite.invite_id).then(onRevoked)}
        >
          Revoke
        </button>
      </span>
    </li>
  );
}

function ExpirySelect({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <label className="field">
      <span className="label">Expires after</span>
      <select data-testid="invite-expiry" value={value} onChange={(e) => onChange(e.target.value)}>
        {INVITE_EXPIRY_CHOICES.map((c) => (
          <option key={c.seconds} value={c.seconds}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A new link's expiry and number of uses, checked before it is asked for. */
function NewInviteForm() {
  const create = useStore((s) => s.createInvite);
  const busy = useStore((s) => s.busy.invites === true);
  const { form, errors, edit, submit } = useCheckedForm(
    { expiry: String(INVITE_EXPIRY_CHOICES[1]!.seconds), uses: '' },
    readInviteForm,
    create,
  );
  return (
    <form className="invite-form" onSubmit={submit} noValidate>
      <ExpirySelect value={form.expiry} onChange={(v) => edit('expiry', v)} />
      <TextField
        label="Uses (blank: no limit)"
        testId="invite-uses"
        className="field-narrow"
        kind="number"
        value={form.uses}
        onChange={(v) => edit('uses', v)}
        error={errors.uses}
      />
      <button
        type="submit"
        className="button button-primary"
        data-testid="create-invite"
        disabled={busy}
      >
        Create invite link
      </button>
    </form>
  );
}

/** The host's invite links: make one with an expiry and a number of uses, copy, revoke. */
export function InvitesPanel() {
  const invites = useStore((s) => s.invites);
  const refresh = useStore((s) => s.listInvites);
  const error = useStore((s) => s.errors.invites);
  // A newcomer may have come in with an invite: its uses (or its end, used up) are news.
  const members = useStore((s) => Object.keys(s.party?.peers ?? {}).join(' '));
  useEffect(() => void refresh(), [refresh, members]);
  const title = useRef<HTMLHeadingElement>(null);
  return (
    <section className="invites-panel" aria-labelledby="invites-title" data-testid="invites-panel">
      <h3 id="invites-title" className="section-title" ref={title} tabIndex={-1}>
        Invite links
      </h3>
      <p className="hint">
        An invite link gets its holder in whatever the rules, but never past a ban, a lock or a full
        party.
      </p>
      <NewInviteForm />
      <ErrorAlert message={error} />
      {invites.length === 0 ? (
        // Said the same whether or not any were made: "yet" read as none ever was.
        <p className="hint" data-testid="no-invites">
          No active invite links. A link leaves this list once it is used up, expires or is revoked.
        </p>
      ) : (
        <ul className="invite-items">
          {invites.map((invite, i) => (
            <InviteRow
              key={invite.invite_id}
              invite={invite}
              index={i}
              onRevoked={() => title.current?.focus()}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
