import { useMemo } from 'react';
import type { ActivityEntry } from '../../../../shared/ipc/app-state';
import { useStore } from '../../store/context';
import { Name } from '../common/Name';
import { activityParts } from './activity-parts';
import { useAnnounceNew } from './Announcer';

const MARK = {
  joined: '+',
  left: '−',
  removed: '×',
  offline: '○',
  online: '●',
  host_changed: '★',
  unbanned: '✓',
} as const;

function time(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/**
 * A key for each entry that stays with it as newer ones come in on top (an index does not:
 * every item was rebuilt on each event, and a screen reader lost its place in the list).
 * Entries alike to the millisecond are told apart by how many such are older.
 */
export function activityKeys(entries: readonly ActivityEntry[]): string[] {
  const count = new Map<string, number>();
  const keys: string[] = [];
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    const e = entries[i]!;
    const base = `${e.at}|${e.kind}|${e.peer_id}|${e.text}`;
    const n = count.get(base) ?? 0;
    count.set(base, n + 1);
    keys[i] = `${base}|${n}`;
  }
  return keys;
}

/**
 * The name cut to two lines as everywhere (names.css: whole on hover and with the list
 * focused), the words after it never: cut as one sentence, a long name hid what happened.
 */
function EntryText({ entry }: { entry: ActivityEntry }) {
  const { name, rest } = activityParts(entry);
  return (
    <span className="activity-text">
      {name !== null && <Name text={name} className="name-inline activity-name" />}
      <span data-testid="activity-rest">{rest}</span>
    </span>
  );
}

/** The party's last events, newest first, each with its time; new ones are said too. */
export function ActivityList() {
  const activity = useStore((s) => s.activity);
  const keys = useMemo(() => activityKeys(activity), [activity]);
  const news = useMemo(
    () => activity.map((entry, i) => ({ key: keys[i]!, text: entry.text })),
    [activity, keys],
  );
  useAnnounceNew(news);
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
              key={keys[i]}
              className={`activity-${entry.kind}`}
              data-testid="activity-entry"
              title={entry.text}
            >
              <time dateTime={entry.at}>{time(entry.at)}</time>{' '}
              <span aria-hidden="true">{MARK[entry.kind]}</span> <EntryText entry={entry} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
