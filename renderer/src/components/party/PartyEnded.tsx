import { useStore } from '../../store/context';
import { rescueFocusTo } from '../common/focus-rescue';
import { Name } from '../common/Name';

// Dismiss takes its own button away: focus goes to the view's heading, not to <body>.
const toHeading = rescueFocusTo();

/** Why my party ended (or why I am no longer in it); stays until dismissed. */
export function PartyEnded() {
  const ended = useStore((s) => s.ended);
  const dismiss = useStore((s) => s.dismissEnded);
  if (!ended) return null;
  return (
    <div
      ref={toHeading}
      className="card party-ended"
      role="alert"
      data-testid="party-ended"
      data-reason={ended.reason}
    >
      {/* The name (a block: names.css) as the title, the reason a sentence of its own under it: "X ended:
          The host ended the party" said "ended" twice, and put a capital after a colon. */}
      <p>
        <Name as="strong" text={ended.party_name} />
        <span data-testid="party-ended-reason">{ended.message}</span>
        {/* The app's messages end bare ("The host removed you from the party"): it closes them. */}
        {/[.!?]$/.test(ended.message) ? '' : '.'}
      </p>
      <button
        type="button"
        className="button button-small"
        data-testid="dismiss-ended"
        onClick={() => void dismiss()}
      >
        Dismiss
      </button>
    </div>
  );
}
