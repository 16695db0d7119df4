/**
 * Where focus goes when the element it was in leaves the page (a member's row as they are
 * kicked or banned, a join request as it is answered): browsers drop it to <body>, so the next
 * Tab starts at the top of the page. Both are element ids; the first still on the page wins.
 */

/**
 * Moves focus to the first of `ids` on the page, if focus is nowhere (on <body>); with none of
 * them left (the view changed under them), to the view's heading, where a new view starts.
 */
export function focusFirstOf(ids: readonly string[]): void {
  const active = document.activeElement;
  if (active !== null && active !== document.body) return;
  for (const id of ids) {
    const target = document.getElementById(id);
    if (target) return target.focus();
  }
  document.querySelector<HTMLElement>('main h1')?.focus();
}

/**
 * A ref callback (React 19 runs its cleanup as the element leaves): with focus inside the
 * element then, focus moves to the first of `ids` once it is gone. Make it once, at module
 * level: a new callback each render would detach and attach the ref every time.
 */
export function rescueFocusTo(
  ...ids: string[]
): (node: HTMLElement | null) => (() => void) | undefined {
  return (node) => {
    if (!node) return undefined;
    return () => {
      if (node.contains(document.activeElement)) queueMicrotask(() => focusFirstOf(ids));
    };
  };
}
