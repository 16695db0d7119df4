import { memo, useLayoutEffect, useRef } from 'react';
import { clockStore, formatAgo, subscribeClock } from '../store/clock';

/** "12 s ago", kept current by writing the text directly: the clock never re-renders a row. */
export const LastSeen = memo(function LastSeen({ at }: { at: number | null }) {
  const ref = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const update = (now: number) => {
      if (ref.current) ref.current.textContent = at === null ? 'unknown' : formatAgo(now - at);
    };
    update(clockStore.getState().now);
    return subscribeClock(update);
  }, [at]);
  return <span ref={ref} className="peer-last-seen" data-testid="peer-last-seen" />;
});
