import { useStore } from '../../store/context';

const MARK = {
  joined: '+',
  left: '−',
  removed: '×',
  offline: '○',
  online: '●',
  host_changed: '★',
} as const;

function time(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** The party's last events, newest first, each with its time. */
export function ActivityList() {
  const activity = useStore((s) => s.activity);
  return (
    <section className="activity" aria-labelledby="activity-title">
      <h2 id="activity-title" className="section-title">
        Activity
      </h2>
      {activity.length === 0 ? (
        <p className="hint">Nothing yet: joins, leaves and who goes offline show up here.</p>
      ) : (
        // Focusable: the list scrolls, and keyboard users must be able to scroll it too.
        <ol
          className="activity-list"
          data-testid="activity-list"
          tabIndex={0}
          aria-labelledby="activity-title"
        >
          {activity.map((entry, i) => (
            <li
              key={`${entry.at}-${i}`}
              className={`activity-${entry.kind}`}
              data-testid="activity-entry"
            >
              <time dateTime={entry.at}>{time(entry.at)}</time>{' '}
              <span aria-hidden="true">{MARK[entry.kind]}</span> {entry.text}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
