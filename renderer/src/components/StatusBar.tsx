import { useStore } from '../store/context';
import { useClock } from '../store/clock';
import { DEFAULT_LAN_PORT } from '../../../shared/values/port';
import { parseTimestamp } from '../../../shared/time/timestamp';
import { heartbeatHealth, lastConfirmedAt } from '../../../shared/status';
import { listeningText, plainLinkText, statusText } from '../../../shared/status-words';

/** A shape per health, so it reads without colour (and in forced colours). */
const HEALTH_GLYPH = { idle: '○', healthy: '●', late: '◐', offline: '✕' } as const;

const HEALTH_LABEL = {
  idle: 'Not in a party',
  healthy: 'Heartbeat healthy',
  late: 'Heartbeat late',
  offline: 'Offline',
} as const;

function HeartbeatDot() {
  const status = useStore((s) => s.status);
  const inParty = useStore((s) => s.party !== null);
  const myLastSeen = useStore((s) => (s.me && s.party?.peers[s.me.peer_id]?.last_seen) ?? null);
  const mine = myLastSeen === null ? null : (parseTimestamp(myLastSeen)?.getTime() ?? null);
  const confirmed = lastConfirmedAt(status, mine);
  const health = useClock((now) => heartbeatHealth(status, inParty, confirmed, now));
  const ageSeconds = useClock((now) =>
    confirmed === null ? null : Math.max(0, Math.round((now - confirmed) / 1000)),
  );
  const rtt = status?.lastHeartbeatRttMs;
  const details =
    inParty && ageSeconds !== null
      ? `, last heartbeat ${ageSeconds} s ago${rtt == null ? '' : `, round trip ${Math.round(rtt)} ms`}`
      : '';
  const label = HEALTH_LABEL[health] + details;
  return (
    <span
      className={`heartbeat-dot heartbeat-${health}`}
      data-health={health}
      title={label}
      role="img"
      aria-label={label}
    >
      {HEALTH_GLYPH[health]}
    </span>
  );
}

/** What the host can do about a plain link: both its ports through its firewall. */
const PLAIN_LINK_TITLE =
  "Whoever listens on your network can read what LANrage sends the party's host. The host can " +
  `allow LANrage through its firewall on both of its ports (${DEFAULT_LAN_PORT} and ` +
  `${DEFAULT_LAN_PORT + 1} unless changed).`;

/** A party handed over without a server runs on this app: the new host's quit does not end it. */
const SERVED_TITLE =
  'A party you handed over keeps running on this PC until you quit LANrage: quitting ends it ' +
  'for everyone in it.';

/** Without the app, what its status was is not known: the bar says why instead. */
const BRIDGE_TEXT = {
  down: 'Lost contact with the LANrage app, retrying…',
  // The app cannot tell an old launch's token from a mistyped or missing one: both are said.
  stale:
    'This page is not from this LANrage launch (an old tab, or a link without its token): open the link LANrage printed when it started.',
  // Its process is stopped or busy: what the page last heard may no longer be true.
  frozen: 'The LANrage app is not responding: waiting for it…',
} as const;

export function StatusBar() {
  const status = useStore((s) => s.status);
  const standing = useStore((s) =>
    s.party !== null ? 'member' : s.pendingJoin !== null ? 'waiting' : 'none',
  );
  // A dropped bridge is said first: it is why the app cannot answer.
  const bridge = useStore((s) => (s.bridge === 'up' && !s.appAnswering ? 'frozen' : s.bridge));
  const state = status?.state ?? 'connecting';
  const listening = listeningText(status);
  const plain = plainLinkText(status);
  return (
    <footer className={`status-bar status-${state}`} data-testid="status-bar" data-state={state}>
      <HeartbeatDot />
      <p className="status-text" role="status" data-testid="status-text">
        {bridge === 'up' ? statusText(status, standing) : BRIDGE_TEXT[bridge]}
      </p>
      {plain && (
        <p className="status-plain-link" data-testid="status-plain-link" title={PLAIN_LINK_TITLE}>
          {plain}
        </p>
      )}
      {listening && (
        <p
          className="status-listening"
          data-testid="status-listening"
          title={
            (status?.localServer?.servedFor?.length ?? 0) > 0
              ? SERVED_TITLE
              : 'Parties you host are served by LANrage itself. Windows may ask you to allow LANrage through its firewall.'
          }
        >
          {listening}
        </p>
      )}
    </footer>
  );
}
