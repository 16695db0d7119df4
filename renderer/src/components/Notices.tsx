import { useStore } from '../store/context';

/**
 * What the app must tell the user outside of any answer (a file kept aside, an identity
 * that changed, a setting clamped): shown until dismissed.
 */
export function Notices() {
  const notices = useStore((s) => s.notices);
  const dismiss = useStore((s) => s.dismissNotice);
  if (notices.length === 0) return null;
  return (
    <section className="notices" aria-label="Notices">
      {notices.map((notice) => (
        <div key={notice.id} className="notice" role="status" data-testid="notice">
          <p className="notice-text">{notice.message}</p>
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
