import { useStore } from '../store/context';

/** Why my party ended; stays until dismissed. */
export function PartyEnded() {
  const ended = useStore((s) => s.ended);
  const dismiss = useStore((s) => s.dismissEnded);
  if (!ended) return null;
  return (
    <div className="card party-ended" role="alert" data-testid="party-ended">
      <p>
        <strong>{ended.party_name}</strong> ended:{' '}
        <span data-testid="party-ended-reason">{ended.message}</span>.
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
