import { useState } from 'react';
import { useStore } from '../../store/context';
import type { JoinRequestView } from '../../../../shared/ipc/access';
import { ErrorAlert } from '../common/Feedback';

/** Who asks, with their key's fingerprint when they sent one. */
function RequestWho({ request }: { request: JoinRequestView }) {
  return (
    <span className="join-request-who">
      <strong className="join-request-name">{request.name}</strong>
      <span className="hint">
        {' '}
        wants to join
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

function RequestRow({ request }: { request: JoinRequestView }) {
  const answerJoin = useStore((s) => s.answerJoin);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function answer(accept: boolean) {
    setBusy(true);
    const result = await answerJoin(request.peer_id, accept);
    setBusy(false);
    setError(result.ok ? null : result.error.message);
  }
  return (
    <li className="join-request" data-testid="join-request" data-peer-id={request.peer_id}>
      <RequestWho request={request} />
      <span className="join-request-actions">
        <button
          type="button"
          className="button button-small button-primary"
          data-testid="accept-join"
          aria-label={`Accept ${request.name}`}
          disabled={busy}
          onClick={() => void answer(true)}
        >
          Accept
        </button>
        <button
          type="button"
          className="button button-small"
          data-testid="reject-join"
          aria-label={`Reject ${request.name}`}
          disabled={busy}
          onClick={() => void answer(false)}
        >
          Reject
        </button>
      </span>
      <ErrorAlert message={error} />
    </li>
  );
}

/** The host's waiting players, oldest first; each expires by itself after two minutes. */
export function JoinRequests() {
  const requests = useStore((s) => s.joinRequests);
  if (requests.length === 0) return null;
  return (
    <section
      className="card join-requests"
      aria-labelledby="join-requests-title"
      data-testid="join-requests"
    >
      <h2 id="join-requests-title" className="section-title">
        Waiting to join <span className="count">{requests.length}</span>
      </h2>
      <ul className="join-request-list">
        {requests.map((r) => (
          <RequestRow key={r.peer_id} request={r} />
        ))}
      </ul>
    </section>
  );
}
