/**
 * One polite live region for the party's news (who joined, left, went offline or came back,
 * who asks to join, how calls go, who shares a screen), so a screen reader hears what the
 * page shows without re-reading it. Each part of the view says its own lines, in its own
 * words (`useAnnounceNew`); the region says them at most once every 2 s, a few at a time.
 */
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

/** The least time between two announcements: a busy party is summed up, not read out. */
export const ANNOUNCE_EVERY_MS = 2000;
/** Lines said at once; the rest are counted ("and 4 more changes"). */
const MAX_LINES = 3;

type Announce = (line: string) => void;

/** Outside a party view (a panel tested alone) nothing is said. */
const AnnounceContext = createContext<Announce>(() => undefined);

/** What the region says for the lines waiting: the first few, then how many more. */
export function announcement(lines: readonly string[]): string {
  const said = lines.slice(0, MAX_LINES).join('. ');
  const more = lines.length - MAX_LINES;
  if (more <= 0) return said;
  return `${said}. And ${more} more ${more === 1 ? 'change' : 'changes'}, in Activity.`;
}

/** Lines wait; a timer says them together (`say`), then keeps quiet for a while. */
function throttle(say: (text: string) => void) {
  let pending: string[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    if (pending.length === 0) return;
    say(announcement(pending));
    pending = [];
    timer = setTimeout(flush, ANNOUNCE_EVERY_MS);
  };
  return {
    add: (line: string) => {
      pending.push(line);
      // Not at once: the lines of one update (a party's whole batch) are said together.
      timer ??= setTimeout(flush, 100);
    },
    stop: () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}

function useThrottledLines(): [{ text: string; n: number }, Announce] {
  const [said, setSaid] = useState({ text: '', n: 0 });
  const [lines] = useState(() => throttle((text) => setSaid((b) => ({ text, n: b.n + 1 }))));
  useEffect(() => () => lines.stop(), [lines]);
  return [said, lines.add];
}

/** The party view's news region, and the `announce` its parts reach through context. */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [said, announce] = useThrottledLines();
  return (
    <AnnounceContext.Provider value={announce}>
      {children}
      {/* In the page from the start, empty: a region added with its text is often not read.
          A new node each time, so the same words twice are said twice. */}
      <div className="visually-hidden" aria-live="polite" data-testid="party-news">
        {said.text !== '' && <p key={said.n}>{said.text}</p>}
      </div>
    </AnnounceContext.Provider>
  );
}

/** A line the view shows, and what makes it the same line next time (an id, a state). */
export interface NewsLine {
  key: string;
  text: string;
}

/**
 * Says each line whose key was not there on the last render: what shows already when the
 * view opens is not news, nor is a line that stays.
 */
export function useAnnounceNew(lines: readonly NewsLine[]): void {
  const announce = useContext(AnnounceContext);
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    const before = seen.current;
    seen.current = new Set(lines.map((line) => line.key));
    if (before === null) return;
    for (const line of lines) if (!before.has(line.key)) announce(line.text);
  }, [lines, announce]);
}
