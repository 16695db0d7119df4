import { useMemo, useState } from 'react';
import { useStore } from '../../store/context';
import type { JoinRequestView } from '../../../../shared/ipc/access';
import { ErrorAlert } from '../common/Feedback';
import { acceptRefusedSentence } from '../../../../shared/protocol/refusals';
import { rescueFocusTo } from '../common/focus-rescue';
import { Name } from '../common/Name';
import { MEMBERS_TITLE_ID } from '../party/MemberMenu';
import { useAnnounceNew } from '../party/Announcer';

/** Said after the name, on the request and to a screen reader as it comes. */
const WANTS_TO_JOIN = 'wants to join';

/** Who asks, with their key's fingerprint when they sent one. */
function RequestWho({ request }: { request: JoinRequestView }) {
  return (
    <span className="join-request-who">
      <Name as="strong" text={request.name} className="join-request-name name-inline" />
      <span className="hint">
        {' '}
        {WANTS_TO_JOIN}
        {request.key_fingerprint !== null && (
          <>
            {' '}
            · key <code title="Key fingerprint">{request.key_fingerprint}</code>
          </>
        )}
        {request.away === true && (
          <span data-testid="join-request-away"> · app closed: joins as offline if accepted</span>
        )}
      </span>
    </span>
  );
}

const REQUESTS_TITLE_ID = 'join-requests-title';
/** An answered request goes with the focused button: to the list's title, or the members'. */
const rescueFocus = rescueFocusTo(REQUESTS_TITLE_ID, MEMBERS_TITLE_ID);

interface RequestRowProps {
  request: JoinRequestView;
  /** Why the answer failed (null: it went through), said by the list: the row may be gone. */
  onAnswered: (error: string | null) => void;
}

/** Accept or reject, busy meanwhile; why it failed goes to the list (`onAnswered`). */
function useAnswer({ request, onAnswered }: RequestRowProps) {
  const answerJoin = useStore((s) => s.answerJoin);
  const [busy, setBusy] = useState(false);
  async function answer(accept: boolean) {
    // Marked busy, not disabled: a disabled button drops focus to <body> before its row goes.
    if (busy) return;
    setBusy(true);
    const result = await answerJoin(request.peer_id, accept);
    setBusy(false);
    if (result.ok) return onAnswered(null);
    const { code, message } = result.error;
    onAnswered(acceptRefusedSentence(request.name, code) ?? message);
  }
  return [busy, answer] as const;
}

function RequestRow({ request, onAnswered }: RequestRowProps) {
  const [busy, answer] = useAnswer({ request, onAnswered });
  return (
    <li
      ref={rescueFocus}
      className="join-request"
      data-testid="join-request"
      data-peer-id={request.peer_id}
    >
      <RequestWho request={request} />
      <span className="join-request-actions">
        <button
          type="button"
          className="button button-small button-primary"
          data-testid="accept-join"
          aria-label={`Accept ${request.name}`}
          aria-disabled={busy}
          onClick={() => void answer(true)}
        >
          Accept
        </button>
        <button
          type="button"
          className="button button-small"
          data-testid="reject-join"
          aria-label={`Reject ${request.name}`}
          aria-disabled={busy}
          onClick={() => void answer(false)}
        >
          Reject
        </button>
      </span>
    </li>
  );
}

/**
 * The host's waiting players, oldest first; each expires by itself after two minutes. An
 * Accept the server refused (the party filled up or was locked meanwhile) ends the request
 * all the same, so why is said here, where it outlives the row, until dismissed.
 */
export function JoinRequests() {
  const requests = useStore((s) => s.joinRequests);
  const [error, setError] = useState<string | null>(null);
  // A request expires in two minutes: a host who is not told it came loses it.
  const news = useMemo(
    () => requests.map((r) => ({ key: r.peer_id, text: `${r.name} ${WANTS_TO_JOIN}` })),
    [requests],
  );
  useAnnounceNew(news);
  if (requests.length === 0 && error === null) return null;
  return (
    <section
      className="card join-requests"
      aria-labelledby={REQUESTS_TITLE_ID}
      data-testid="join-requests"
    >
      <h2 id={REQUESTS_TITLE_ID} className="section-title" tabIndex={-1}>
        Waiting to join {requests.length > 0 && <span className="count">{requests.length}</span>}
      </h2>
      <ul className="join-request-list">
        {requests.map((r) => (
          <RequestRow key={r.peer_id} request={r} onAnswered={setError} />
        ))}
      </ul>
      {error !== null && (
        <>
          <ErrorAlert message={error} testId="join-request-error" />
          <button
            type="button"
            className="button button-small"
            data-testid="join-request-error-dismiss"
            onClick={() => setError(null)}
          >
            Dismiss
          </button>
        </>
      )}
    </section>
  );
}
