import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { InvitePreview } from '../../../../shared/ipc/app-state';
import type { JoinPolicy } from '../../../../shared/party/settings';
import { useStore } from '../../store/context';
import { Dialog } from '../common/Dialog';
import { DialogActions } from '../common/Feedback';
import { invalidProps } from '../common/FieldError';
import { Name } from '../common/Name';
import { serverName } from '../../../../shared/values/server-url';
import { RefusalCode, refusalSentence } from '../../../../shared/protocol/refusals';
import { UnencryptedNote } from '../ServerCheckResult';
import { ErrorWithWait, useRetryBlocked } from './RetryWait';
import {
  asksPassword,
  isPasswordRefusal,
  joinDialogStart,
  joinErrorPlace,
  otherServer,
} from './join-text';

/**
 * The party an invite link leads to: its name on a line of its own (after a long name, ", hosted
 * by" began a line with its comma), then its host's, how many play, where.
 */
function PartyLine({ preview, name, where }: PartyLineProps) {
  const players = preview.peer_count === 1 ? 'player' : 'players';
  return (
    <p>
      <Name as="strong" text={name} testId="invite-party-name" /> hosted by{' '}
      <Name
        as="strong"
        text={preview.host_name ?? 'unknown'}
        className="name-inline"
        testId="invite-host-name"
      />
      {preview.peer_count !== null && (
        <span className="name-after"> · {`${preview.peer_count} ${players}`}</span>
      )}
      {where !== null && <span data-testid="invite-where"> · {where}</span>}
    </p>
  );
}

interface PartyLineProps {
  preview: InvitePreview;
  name: string;
  where: string | null;
}

/** What an invite link leads to, and what joining would share: the user decides. */
function InviteSummary({ preview, where }: { preview: InvitePreview; where: string | null }) {
  return (
    <div className="invite-summary" data-testid="invite-summary">
      {preview.name !== null ? (
        <PartyLine preview={preview} name={preview.name} where={where} />
      ) : preview.needs_invite ? (
        <p data-testid="invite-needs-invite">
          {refusalSentence(RefusalCode.INVITE_INVALID, preview.invite_token !== null)}
        </p>
      ) : preview.missing ? (
        <p data-testid="invite-missing">
          There is no party with this ID: it may have ended, or the link is mistyped.
        </p>
      ) : preview.looking ? (
        <p data-testid="invite-looking" role="status">
          Looking for this party on your network… Its name shows here once its host&apos;s PC
          answers. If it never does, LANrage may be closed on that PC, or the PC on another network:
          ask the host.
          {preview.host_at?.length
            ? ` Join also tries the ${preview.host_at.length > 1 ? 'addresses' : 'address'} the link names (${preview.host_at.join(', ')}), in case your network blocks LAN discovery.`
            : null}
        </p>
      ) : preview.server !== null ? (
        <p>LANrage asks that party&apos;s server about it only when you press Join.</p>
      ) : (
        <p>LANrage could not look this party up. Join only if you trust who sent the link.</p>
      )}
      <p className="hint">Joining shares your display name, addresses and key with its members.</p>
    </div>
  );
}

/** Said before Join, not after it: one party at a time (the app refuses a second). */
function InPartyAlready() {
  const name = useStore((s) => s.party?.name ?? null);
  if (name === null) return null;
  return (
    <p className="hint" data-testid="join-in-party">
      You are in <Name as="strong" text={name} className="name-inline" />: leave it first to join
      another party.
    </p>
  );
}

/**
 * The invite's party is on another server: joining moves LANrage there (Settings can move it back).
 */
function ServerSwitch({ server }: { server: string }) {
  const configured = useStore((s) => s.settings?.control_server ?? null);
  const now = configured === null ? 'no server' : serverName(configured);
  return (
    <>
      <p className="hint server-switch" data-testid="join-server">
        This party is on <strong>{serverName(server)}</strong>, and LANrage uses {now}. Joining
        switches LANrage to {serverName(server)} (Settings can switch it back).
      </p>
      <UnencryptedNote text={server} id="join-server-plain" />
    </>
  );
}

/**
 * While the host decides: a plain sentence, and Cancel withdraws the request. The sentence
 * takes focus (not Cancel: a second Enter would withdraw the request just made).
 */
function Waiting({
  onCancel,
  status,
}: {
  onCancel: () => void;
  status: RefObject<HTMLParagraphElement | null>;
}) {
  const name = useStore((s) => s.pendingJoin?.party_name ?? null);
  return (
    <div data-testid="join-waiting">
      <p className="waiting" role="status" ref={status} tabIndex={-1} data-autofocus="">
        <span className="waiting-mark" aria-hidden="true">
          ●
        </span>
        {/* One flex item beside the mark: as loose text and a name, each took a column of its
            own, at 360 px "Wait/ing" and "yo/u in/..". */}
        <span data-testid="waiting-words">
          {name === null ? (
            'Waiting for the host to let you in...'
          ) : (
            <>
              Waiting for the host of <Name text={name} className="name-inline" /> to let you in...
            </>
          )}
        </span>
      </p>
      <div className="dialog-actions">
        <button type="button" className="button" data-testid="join-cancel-wait" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** What the user typed, and whether the party wants a password. */
function useJoinFields(preview: InvitePreview | null, listed: JoinPolicy | null) {
  const [invite, setInvite] = useState(() => joinDialogStart(preview));
  const [password, setPassword] = useState('');
  const error = useStore((s) => s.errors.join);
  const refusal = useStore((s) => s.errorCodes.join ?? null);
  const clearError = useStore((s) => s.clearError);
  // A wait the server named stays said (and counted) while the user retypes.
  const blocked = useRetryBlocked('join');
  // Once the party said it wants a password, the field stays while the user retypes it.
  const [asked, setAsked] = useState(false);
  if (!asked && isPasswordRefusal(refusal)) setAsked(true);
  const typing = (set: (value: string) => void) => (value: string) => {
    set(value);
    if (error && !blocked) clearError('join');
  };
  return {
    invite,
    password,
    onInvite: typing(setInvite),
    onPassword: typing(setPassword),
    needsPassword: asked || asksPassword(preview, refusal, listed),
  };
}

type JoinFields = ReturnType<typeof useJoinFields>;

/**
 * The submit button was disabled while joining, which dropped focus: put it back where
 * the user fixes the mistake (the password, when that was it).
 */
function useFocusOnError(error: string | undefined, toPassword: boolean) {
  const input = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!error) return;
    (toPassword ? passwordInput : input).current?.focus();
  }, [error, toPassword]);
  return [input, passwordInput] as const;
}

/** The party to join, and its password once the party is known to want one. */
function JoinInputs({ fields }: { fields: JoinFields }) {
  const error = useStore((s) => s.errors.join);
  const refusal = useStore((s) => s.errorCodes.join ?? null);
  const place = joinErrorPlace(refusal, fields.needsPassword);
  const [input, passwordInput] = useFocusOnError(error, place.focus === 'password');
  return (
    <>
      <InPartyAlready />
      <label className="field">
        <span className="label">Party ID or invite link</span>
        <input
          ref={input}
          data-testid="join-input"
          value={fields.invite}
          placeholder="party_abc123 or lanrage://join/…"
          autoComplete="off"
          spellCheck={false}
          {...invalidProps('join-error', place.wrong === 'invite' ? error : undefined)}
          onChange={(e) => fields.onInvite(e.target.value)}
        />
      </label>
      {fields.needsPassword && (
        <label className="field">
          <span className="label">Password</span>
          <input
            ref={passwordInput}
            type="password"
            autoComplete="off"
            data-testid="join-password"
            // The party is already filled in (Browse, a link): the password is what is left.
            data-autofocus={fields.invite === '' ? undefined : ''}
            value={fields.password}
            {...invalidProps('join-error', place.wrong === 'password' ? error : undefined)}
            onChange={(e) => fields.onPassword(e.target.value)}
          />
        </label>
      )}
    </>
  );
}

/**
 * The party the dialog is about: a link waiting for confirmation, else one picked nearby or in
 * Browse.
 */
function useJoinTarget() {
  const invitePreview = useStore((s) => s.invite);
  const pick = useStore((s) => s.nearbyPick);
  return {
    fromLink: invitePreview !== null,
    preview: invitePreview ?? pick?.preview ?? null,
    where: invitePreview ? null : (pick?.where ?? null),
    // A link's party may not be the one picked: only the pick's own policy is taken.
    listedPolicy: invitePreview ? null : (pick?.joinPolicy ?? null),
  };
}

/**
 * The invite, its password and its server, and Join; `close` cancels. The fields live in the
 * dialog: this form is unmounted while the host decides, and a refusal brings it back filled.
 */
function JoinForm({ fields, close }: { fields: JoinFields; close: () => void }) {
  const { preview, where } = useJoinTarget();
  const busy = useStore((s) => s.busy.join === true);
  const error = useStore((s) => s.errors.join);
  const joinParty = useStore((s) => s.joinParty);
  const configured = useStore((s) => s.settings?.control_server ?? null);
  // In a party, joining is refused before any switch: only InPartyAlready is said then.
  const inParty = useStore((s) => s.party !== null);
  const server = inParty ? null : otherServer(fields.invite, configured);
  const blocked = useRetryBlocked('join');
  function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || blocked) return;
    const password = fields.needsPassword ? fields.password : undefined;
    void joinParty(fields.invite, password, server !== null);
  }
  return (
    <form onSubmit={submit} noValidate>
      {preview && <InviteSummary preview={preview} where={where} />}
      <JoinInputs fields={fields} />
      {server !== null && <ServerSwitch server={server} />}
      <ErrorWithWait action="join" message={error} id="join-error" testId="join-error" />
      <DialogActions onCancel={close} busy={busy} disabled={blocked} submitTestId="join-submit">
        {busy ? 'Joining…' : server !== null ? 'Switch server and join' : 'Join'}
      </DialogActions>
    </form>
  );
}

/**
 * The form gives way to the wait, and the field focus was in leaves with it: focus went to
 * <body>, and a screen reader said nothing of the wait. A dialog opened waiting (LANrage
 * restarted mid-request) focuses it on open (data-autofocus).
 */
function useFocusOnWait(waiting: boolean) {
  const status = useRef<HTMLParagraphElement>(null);
  const was = useRef(waiting);
  useEffect(() => {
    if (waiting && !was.current) status.current?.focus();
    was.current = waiting;
  }, [waiting]);
  return status;
}

export function JoinDialog() {
  const { fromLink, preview, listedPolicy } = useJoinTarget();
  const waiting = useStore((s) => s.pendingJoin !== null);
  const dismissInvite = useStore((s) => s.dismissInvite);
  const cancelJoin = useStore((s) => s.cancelJoin);
  const openDialog = useStore((s) => s.openDialog);
  const fields = useJoinFields(preview, listedPolicy);
  const status = useFocusOnWait(waiting);
  function close() {
    if (waiting) void cancelJoin();
    if (fromLink) void dismissInvite();
    openDialog(null);
  }
  return (
    <Dialog
      title={preview ? 'Join this party?' : 'Join a party'}
      testId="join-dialog"
      onClose={close}
    >
      {waiting ? (
        <Waiting onCancel={close} status={status} />
      ) : (
        <JoinForm fields={fields} close={close} />
      )}
    </Dialog>
  );
}
