/**
 * The UI benchmark's hook: with `profile=1` in the page URL each peer row is wrapped in a
 * React Profiler that counts its commits in `window.__LANRAGE_PROFILE__[peerId]`.
 */
import type { ProfilerOnRenderCallback } from 'react';

export function profilingEnabled(search: string = window.location.search): boolean {
  return new URLSearchParams(search).get('profile') === '1';
}

export const countCommit: ProfilerOnRenderCallback = (id) => {
  const counts = (window.__LANRAGE_PROFILE__ ??= {});
  const peerId = id.startsWith('peer-row:') ? id.slice('peer-row:'.length) : id;
  counts[peerId] = (counts[peerId] ?? 0) + 1;
};
