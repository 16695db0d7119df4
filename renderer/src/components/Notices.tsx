import type { Notice } from '../../../shared/ipc/app-state';
import { useStore } from '../store/context';
import { focusFirstOf } from './common/focus-rescue';

/**
 * Dismiss takes its own button away: focus goes to the next notice's Dismiss, or with none
 * left to the view's heading, not to <body>. At module level: a new callback each render would
 * detach and attach the ref every time.
 */
function toNextNotice(node: HTMLElement | null): (() => void) | undefined {
  if (!node) return undefined;
  return () => {
    if (!node.contains(document.activeElement)) return;
    queueMicrotask(() => {
      const next = document.querySelector<HTMLElement>('[data-testid="notice-dismiss"]');
      if (document.activeElement === document.body && next) next.focus();
      else focusFirstOf([]);
    });
  };
}

/**
 * "<party> is back": Join picks the party under Parties nearby, as that row's Join does (the
 * join dialog first, asking for a password or approval as usual). None while it is not listed.
 */
function BackJoin({ notice }: { notice: Notice }) {
  const party = useStore((s) =>
    s.discovered.find((p) => p.party_id === notice.join_party_id && !p.contested),
  );
  const pickNearby = useStore((s) => s.pickNearby);
  const joining = useStore((s) => s.busy.join === true);
  if (!party) return null;
  return (
    <button
      type="button"
      className="button button-small"
      data-testid="notice-join"
      aria-label={`Join ${party.name}`}
      disabled={joining}
      onClick={() => pickNearby(party)}
    >
      Join
    </button>
  );
}

/**
 * What the app must tell the user outside of any answer (a file kept aside, an identity
 * that changed, a setting clamped): shown until dismissed. The region is in the page from the
 * start, empty, and polite: a notice added to it is said (a region added with its text, as it
 * was, is often not). Being there, it is made inert with the rest while a dialog is open.
 * Named only while it holds notices: an empty "Notices" landmark would be noise.
 */
export function Notices() {
  const notices = useStore((s) => s.notices);
  const dismiss = useStore((s) => s.dismissNotice);
  return (
    <section
      className="notices"
      aria-live="polite"
      aria-label={notices.length > 0 ? 'Notices' : undefined}
      data-testid="notices"
    >
      {notices.map((notice) => (
        // Focusable from script only: a notice there when the app opens takes focus (App).
        <div
          key={notice.id}
          ref={toNextNotice}
          className="notice"
          data-testid="notice"
          tabIndex={-1}
        >
          <p className="notice-text">{notice.message}</p>
          {notice.join_party_id !== undefined && <BackJoin notice={notice} />}
          <button
            type="button"
            className="button button-small"
            data-testid="notice-dismiss"
            onClick={() => void dismiss(notice.id)}
          >
            Dismiss
          </button>
        </div>
      ))}
    </section>
  );
}
