import { inviteLink, inviteMessage } from '../../../../shared/invite';
import type { JoinPolicy } from '../../../../shared/party/settings';
import { shareableServer } from '../../../../shared/values/server-url';
import { useStore } from '../../store/context';
import { CopyButton } from '../common/CopyButton';
import { ErrorAlert } from '../common/Feedback';
import { ActivityList } from './ActivityList';
import { AnnouncerProvider } from './Announcer';
import { InvitesPanel } from '../host/InvitesPanel';
import { JoinRequests } from '../host/JoinRequests';
import { MEMBERS_TITLE_ID } from './MemberMenu';
import { HostTools, PartyRules } from './PartyRules';
import { PeerList } from './PeerList';
import { ScreenPanel } from './ScreenPanel';
import { VoicePanel } from './VoicePanel';
import { RelayProvider } from '../../rtc/use-relay';
import { inviteHint, partiesStayLocal } from '../status-text';

interface InviteLineProps {
  label: string;
  text: string;
  what: string;
  copy: string;
  testId: 'party-id' | 'invite-link';
}

/** A labelled code with its Copy button (the copy button's test id follows the code's). */
function InviteLine({ label, text, what, copy, testId }: InviteLineProps) {
  return (
    <div className="invite-line">
      <span className={`label ${testId}-label`}>{label}</span>
      <code className={testId} data-testid={testId}>
        {text}
      </code>
      <CopyButton
        text={text}
        label={copy}
        what={what}
        testId={testId === 'party-id' ? 'copy-party-id' : 'copy-invite-link'}
      />
    </div>
  );
}

/** What gets a friend in when the ID alone does not (said where the ID is shown), to the host. */
const HOST_POLICY_HINT: Partial<Record<JoinPolicy, string>> = {
  password: 'They also need the password.',
  approval: 'You let each of them in when they ask.',
  invite_only: 'The ID alone does not get anyone in: send an invite link from Invite links below.',
};

/** The same, to a member: the host's part is the host's; invite links are the host's to send. */
const MEMBER_POLICY_HINT: Partial<Record<JoinPolicy, string>> = {
  password: 'They also need the password.',
  approval: 'The host lets each of them in when they ask.',
};

/** A lock turns away everyone new, invites included: the policy's hint would not hold. */
const LOCKED_HINT = {
  host: 'The party is locked: nobody new gets in, not even with an invite, until you unlock it.',
  member: 'The host has locked the party: nobody new gets in for now.',
};

/** What else a friend needs, or whether anyone new gets in at all. */
function usePolicyHint(local: boolean): string | undefined {
  const policy = useStore((s) => s.party?.settings.join_policy ?? 'open');
  const locked = useStore((s) => s.party?.settings.locked === true);
  const amHost = useStore((s) => s.party?.host_id === s.me?.peer_id);
  if (locked) return amHost ? LOCKED_HINT.host : LOCKED_HINT.member;
  return local ? undefined : (amHost ? HOST_POLICY_HINT : MEMBER_POLICY_HINT)[policy];
}

function Invite({ partyId, name }: { partyId: string; name: string }) {
  const status = useStore((s) => s.status);
  const amHost = useStore((s) => s.party?.host_id === s.me?.peer_id);
  const policyHint = usePolicyHint(partiesStayLocal(status));
  // Friends whose LANrage uses another server (or none) are moved to this one by the link.
  const configured = useStore((s) => s.settings?.control_server ?? null);
  const server = partiesStayLocal(status) ? null : shareableServer(configured);
  // Without a server, the host PC's certificate: a friend's app joins only that PC.
  const pin = status?.hostPin ?? null;
  // And where it answers: a friend whose network blocks LAN discovery dials it there.
  const at = status?.hostAt ?? null;
  const link = inviteLink(partyId, undefined, server, pin, at);
  return (
    <div className="invite" data-testid="invite">
      <InviteLine label="Party ID" text={partyId} what="the ID" copy="Copy ID" testId="party-id" />
      <InviteLine label="Link" text={link} what="the link" copy="Copy link" testId="invite-link" />
      <div className="invite-line">
        <CopyButton
          text={inviteMessage(name, partyId, { server, pin, at })}
          label="Copy invite message"
          what="the ID"
          testId="copy-invite-message"
        />
      </div>
      <p
        className={`hint invite-hint${partiesStayLocal(status) ? ' is-local' : ''}`}
        data-testid="invite-hint"
      >
        {inviteHint(status, amHost)}
        {policyHint && ` ${policyHint}`}
      </p>
    </div>
  );
}

/**
 * Leave: the host with others present chooses first (hand over, or end it for everyone); a
 * host alone with players waiting to get in is told they will be turned away.
 */
function LeaveButton({ asksFirst }: { asksFirst: boolean }) {
  const leaving = useStore((s) => s.busy.leave === true);
  const leaveParty = useStore((s) => s.leaveParty);
  const openDialog = useStore((s) => s.openDialog);
  return (
    <button
      type="button"
      // The size of the host's tools beside it: one row, one height.
      className="button button-danger button-small"
      data-testid="leave-party"
      disabled={leaving}
      onClick={() => (asksFirst ? openDialog('leave') : void leaveParty())}
    >
      {leaving ? 'Leaving…' : 'Leave party'}
    </button>
  );
}

/** The party's name, the host's tools, Leave, its rules and how to invite. */
function PartyHeader({ amHost, count }: { amHost: boolean; count: number }) {
  const partyId = useStore((s) => s.party?.party_id ?? '');
  const name = useStore((s) => s.party?.name ?? '');
  const waiting = useStore((s) => s.joinRequests.length);
  return (
    <header className="party-header card">
      <div className="party-title-row">
        {/* Two lines at most (names.css): whole on hover, and focused by keyboard on entering. */}
        <h1
          id="party-name"
          className="party-name name-clamp"
          data-testid="party-name"
          tabIndex={-1}
          title={name}
        >
          {name}
        </h1>
        <div className="party-tools">
          {amHost && <HostTools />}
          <LeaveButton asksFirst={amHost && (count > 1 || waiting > 0)} />
        </div>
      </div>
      <PartyRules />
      <Invite partyId={partyId} name={name} />
    </header>
  );
}

export function PartyView() {
  const count = useStore((s) => (s.party ? Object.keys(s.party.peers).length : 0));
  const error = useStore((s) => s.errors.leave);
  const amHost = useStore((s) => s.party !== null && s.party.host_id === s.me?.peer_id);
  // A failed kick or make-host; a failed ban shows in its dialog.
  const memberError = useStore((s) => (s.banTarget === null ? s.errors.member : undefined));
  return (
    <section className="party-view" data-testid="party-view" aria-labelledby="party-name">
      <AnnouncerProvider>
        <PartyHeader amHost={amHost} count={count} />
        {/* Notices about the party (errors, why it changed) go here, above the list. */}
        <div className="party-notices">
          <ErrorAlert message={error} />
          <ErrorAlert message={memberError} testId="member-error" />
        </div>
        {amHost && <JoinRequests />}
        <div className="members card">
          <h2 id={MEMBERS_TITLE_ID} className="section-title" tabIndex={-1}>
            Members <span className="count">{count}</span>
          </h2>
          <PeerList />
        </div>
        <RelayProvider>
          <VoicePanel />
          <ScreenPanel />
        </RelayProvider>
        {amHost && (
          <div className="card">
            <InvitesPanel />
          </div>
        )}
        <div className="card">
          <ActivityList />
        </div>
      </AnnouncerProvider>
    </section>
  );
}
