import { memo, useLayoutEffect, useRef } from 'react';
import { clockStore, formatAgo, subscribeClock } from '../../store/clock';

/**
 * "12 s ago", kept current by writing the text directly: the clock never re-renders a row.
 * An online member reads "now": it is heartbeating, and presence travels as changes, so its
 * last_seen is only the time of its last status change (it read "29 s ago" beside "online").
 */
export const LastSeen = memo(function LastSeen({
  at,
  online,
}: {
  at: number | null;
  online: boolean;
}) {
  const ref = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const update = (now: number) => {
      if (!ref.current) return;
      ref.current.textContent = online ? 'now' : at === null ? 'unknown' : formatAgo(now - at);
    };
    update(clockStore.getState().now);
    if (online) return;
    return subscribeClock(update);
  }, [at, online]);
  return <span ref={ref} className="peer-last-seen" data-testid="peer-last-seen" />;
});
