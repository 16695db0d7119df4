/**
 * Runs `onRelinked` each time the app is linked to its server again after it was not: what
 * was sent or pushed meanwhile is lost (a relay's new answer, a member's voice `join`).
 */
import { useEffect, useRef } from 'react';
import { ConnectionState } from '../../../shared/status';
import { useStore } from '../store/context';

export function useRelinked(onRelinked: (() => void) | null): void {
  const linked = useStore((s) => s.status?.state === ConnectionState.CONNECTED);
  const wasLinked = useRef(linked);
  useEffect(() => {
    const was = wasLinked.current;
    wasLinked.current = linked;
    if (linked && !was) onRelinked?.();
  }, [onRelinked, linked]);
}
