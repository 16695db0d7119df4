/**
 * What the party's events mean to the person in it: the activity list's lines (joined,
 * left, went offline, back online, host changed) and, when my party ends, why. Pure.
 */
import {
  ActivityKind,
  MAX_ACTIVITY,
  type ActivityEntry,
  type PartyEnded,
  type PartyView,
} from '../../../shared/ipc/app-state';
import {
  CloseReason,
  HostChangeReason,
  LeaveReason,
  type PartyEvent,
} from '../../../shared/party/events';

/** The app's own reason for a party that ended under me: I was removed. */
export const REMOVED = 'removed';

/** Said when my app could not host my party again at start (why it could not: the log). */
export const NOT_HOSTED_AGAIN_WORDS =
  'LANrage could not host it again when it started, so nobody could reach it. ' +
  'If its folder was moved or restored from a backup, create a new party';

const ENDED_MESSAGES: Record<string, string> = {
  [CloseReason.CLOSED_BY_HOST]: 'The host ended the party',
  [CloseReason.ENDED_BY_SERVER]: "The server's operator ended this party",
  [CloseReason.HOST_LEFT]: 'The host left, so the party ended',
  [CloseReason.TIMEOUT]: 'The host was offline too long, so the party ended',
  [CloseReason.EMPTY]: 'Everyone left, so the party ended',
  [CloseReason.SERVER_LEFT]:
    "LANrage closed on the PC the party ran on (its first host's), so the party ended",
  [REMOVED]: 'You were removed after being offline',
  [CloseReason.KICKED]: 'The host removed you from the party',
  [CloseReason.BANNED]: 'The host removed you from the party and banned you',
  [CloseReason.REFUSED]: 'You were away, and the party would not let you back in',
  [CloseReason.NOT_HOSTED_AGAIN]: NOT_HOSTED_AGAIN_WORDS,
  [CloseReason.ID_TAKEN]:
    'You were away, and the server now gives your place in this party to another LANrage ' +
    '(your peer ID is held there by another session or installation, such as this one under ' +
    'another address of the server). Join it again; if your ID is refused, wait a few minutes',
};

/**
 * Why my party ended, in words; a silent host by its name. Each is a sentence of its own
 * under the party's name (PartyEnded.tsx) that says the party ended, or that I was put out.
 */
function endedMessage(before: PartyView, reason: string): string {
  if (reason !== CloseReason.HOST_SILENT) return ENDED_MESSAGES[reason] ?? 'The party ended';
  const host = nameOf(before, before.host_id);
  return `${host} stopped answering, so the party ended: their PC may have crashed or lost power`;
}

const HOST_REASONS: Record<string, string> = {
  [HostChangeReason.TRANSFER]: 'handed over',
  [HostChangeReason.HOST_LEFT]: 'the host left',
  [HostChangeReason.HOST_OFFLINE]: 'the host went offline',
};

function nameOf(party: PartyView, peerId: string): string {
  return party.peers[peerId]?.name ?? peerId;
}

type Line = (kind: ActivityKind, peerId: string, text: string) => ActivityEntry;
type EventOf<T extends PartyEvent['type']> = Extract<PartyEvent, { type: T }>;

/**
 * A member the host removed (or banned: said only to the host who did it, its app knowing),
 * "by you" when I am that host.
 */
function removedText(name: string, e: EventOf<'peer_left'>, byMe: boolean): string {
  const what = e.reason === LeaveReason.BANNED ? 'banned' : 'removed';
  return `${name} was ${what} ${byMe ? 'by you' : 'by the host'}`;
}

/**
 * I (the host) unbanned `name`: said as a ban is ("Bob was banned by you"). An unban is no
 * party event (the server answers only the host who asked), so the app that did it says it.
 */
export function unbannedLine(peerId: string, name: string, at: Date): ActivityEntry {
  const text = `${name} was unbanned by you`;
  return {
    at: at.toISOString(),
    kind: ActivityKind.UNBANNED,
    peer_id: peerId,
    subject: name,
    text,
  };
}

function leftLine(line: Line, name: string, e: EventOf<'peer_left'>, byMe: boolean) {
  if (e.reason === LeaveReason.KICKED || e.reason === LeaveReason.BANNED) {
    return line(ActivityKind.REMOVED, e.peerId, removedText(name, e, byMe));
  }
  return e.reason === 'timeout'
    ? line(ActivityKind.REMOVED, e.peerId, `${name} was removed after being offline`)
    : line(ActivityKind.LEFT, e.peerId, `${name} left`);
}

/** Only a change of status makes a line: the first status seen, or the same again, does not. */
function statusLine(
  line: Line,
  before: PartyView,
  e: EventOf<'peer_status'>,
): ActivityEntry | null {
  const was = before.presence[e.peerId]?.status;
  if (was === undefined || was === e.presence.status) return null;
  const name = nameOf(before, e.peerId);
  switch (e.presence.status) {
    case 'offline':
      return line(ActivityKind.OFFLINE, e.peerId, `${name} went offline`);
    case 'asleep':
      return line(ActivityKind.OFFLINE, e.peerId, `${name}'s PC went to sleep`);
    default:
      return line(ActivityKind.ONLINE, e.peerId, `${name} is back online`);
  }
}

/** Let in while its app was closed (1.5), a member is not online yet. */
const joinedText = (e: EventOf<'peer_joined'>) =>
  e.presence?.status === 'offline'
    ? `${e.peer.name} joined while offline`
    : `${e.peer.name} joined`;

function entryFor(
  before: PartyView,
  e: PartyEvent,
  at: string,
  myPeerId: string,
): ActivityEntry | null {
  const line: Line = (kind, peerId, text) => ({
    at,
    kind,
    peer_id: peerId,
    subject: nameOf(before, peerId),
    text,
  });
  switch (e.type) {
    case 'peer_joined':
      if (before.peers[e.peer.peerId]) return null;
      return {
        ...line(ActivityKind.JOINED, e.peer.peerId, joinedText(e)),
        subject: e.peer.name,
      };
    case 'peer_left':
      // Only the host removes a member: the host as the UI had it did this one.
      return leftLine(line, nameOf(before, e.peerId), e, before.host_id === myPeerId);
    case 'peer_status':
      return statusLine(line, before, e);
    case 'host_changed': {
      const why = HOST_REASONS[e.reason] ?? e.reason;
      // My name in the party may be "Bob (2)": I would not know it for mine.
      const who = e.hostId === myPeerId ? 'You are' : `${nameOf(before, e.hostId)} is`;
      return line(ActivityKind.HOST_CHANGED, e.hostId, `${who} now the host (${why})`);
    }
    default:
      return null;
  }
}

/** New activity lines for events on my party (`before`: the party as the UI had it). */
export function activityFor(
  before: PartyView | null,
  events: readonly PartyEvent[],
  myPeerId: string,
  at: Date,
): ActivityEntry[] {
  if (!before) return [];
  const iso = at.toISOString();
  const out: ActivityEntry[] = [];
  for (const e of events) {
    const entry = entryFor(before, e, iso, myPeerId);
    // My own joins and leaves are not news to me; my going offline is shown by the status bar.
    if (entry && (entry.peer_id !== myPeerId || entry.kind === ActivityKind.HOST_CHANGED)) {
      out.push(entry);
    }
  }
  return out;
}

/**
 * A snapshot (my party as saved by the last run against the server's, or a resync after a
 * drop or a missed event) carries no events. A new host is the change told from it: a host
 * whose app closed would otherwise come back a plain member with nothing saying why.
 */
export function resyncedFor(
  before: PartyView | null,
  after: PartyView,
  events: readonly PartyEvent[],
  myPeerId: string,
  at: Date,
): ActivityEntry[] {
  if (events.length > 0 || before?.party_id !== after.party_id) return [];
  if (before.host_id === after.host_id) return [];
  const name = nameOf(after, after.host_id);
  const who = after.host_id === myPeerId ? 'You are' : `${name} is`;
  const text = `${who} now the host (changed while you were away)`;
  const entry = { at: at.toISOString(), peer_id: after.host_id, subject: name, text };
  return [{ ...entry, kind: ActivityKind.HOST_CHANGED }];
}

/**
 * At start, my party as the last run saved it against the server's: who came and went while
 * this app was closed, and a new host. Only then: a snapshot at any other time may come
 * before the event that tells the same change (which says it better).
 */
export function resumedFor(
  saved: PartyView | null,
  now: PartyView,
  myPeerId: string,
  at: Date,
): ActivityEntry[] {
  if (saved?.party_id !== now.party_id) return [];
  const iso = at.toISOString();
  const others = (view: PartyView, not: PartyView) =>
    Object.keys(view.peers).filter((id) => id !== myPeerId && !not.peers[id]);
  const line = (kind: ActivityKind, view: PartyView, id: string, text: string) => {
    const subject = nameOf(view, id);
    return { at: iso, kind, peer_id: id, subject, text: `${subject} ${text}` };
  };
  return [
    ...others(saved, now).map((id) =>
      line(ActivityKind.LEFT, saved, id, 'left while you were away'),
    ),
    ...others(now, saved).map((id) =>
      line(ActivityKind.JOINED, now, id, 'joined while you were away'),
    ),
    ...resyncedFor(saved, now, [], myPeerId, at),
  ];
}

/** The list with new lines in front, newest first, at most MAX_ACTIVITY. */
export function prependActivity(
  list: readonly ActivityEntry[],
  added: readonly ActivityEntry[],
): ActivityEntry[] {
  return [...[...added].reverse(), ...list].slice(0, MAX_ACTIVITY);
}

/** Why my party ended under me, or null when it did not (or I left it myself). */
export function endedFor(
  before: PartyView | null,
  events: readonly PartyEvent[],
  myPeerId: string,
  at: Date,
): PartyEnded | null {
  if (!before) return null;
  let reason: string | null = null;
  for (const e of events) {
    if (e.type === 'party_closed') reason = e.reason;
    else if (e.type === 'peer_left' && e.peerId === myPeerId && e.reason === 'timeout') {
      reason = REMOVED;
    }
  }
  if (reason === null) return null;
  return {
    party_name: before.name,
    reason,
    message: endedMessage(before, reason),
    at: at.toISOString(),
  };
}
