/**
 * One wall clock for the whole UI, ticking once a second. Rows select a derived value
 * (e.g. "is stale") so they re-render only when it flips; the "12 s ago" texts subscribe
 * without rendering at all, so the ticking never re-renders a peer row.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export const clockStore = createStore<{ now: number }>()(() => ({ now: Date.now() }));

/** Starts ticking; returns the stop function. */
export function startClock(intervalMs = 1000, now: () => number = Date.now): () => void {
  clockStore.setState({ now: now() });
  const handle = setInterval(() => clockStore.setState({ now: now() }), intervalMs);
  return () => clearInterval(handle);
}

export function useClock<T>(selector: (now: number) => T): T {
  return useStore(clockStore, (s) => selector(s.now));
}

export function subscribeClock(listener: (now: number) => void): () => void {
  return clockStore.subscribe((s) => listener(s.now));
}

/**
 * How long something has lasted, counted in whole units as they pass ("3 s", "2 min"): the
 * one rule for "3 s ago" and "offline for 3 s", which once rounded apart on one row.
 */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

export function formatAgo(ms: number): string {
  return `${formatElapsed(ms)} ago`;
}
