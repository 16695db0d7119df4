import type { ActivityEntry } from '../../../../shared/ipc/app-state';

/**
 * An activity line as its name and the words after it ("Bob", " joined"), so that a long name
 * is cut and never the words that say what happened. The app builds each line's text starting
 * with its subject (electron/core/notifications/party-activity.ts); a line that does not ("You
 * are now the host") has no name part and shows whole.
 */
export function activityParts(entry: ActivityEntry): { name: string | null; rest: string } {
  const { subject, text } = entry;
  if (subject === '' || !text.startsWith(subject)) return { name: null, rest: text };
  return { name: subject, rest: text.slice(subject.length) };
}
