/**
 * Code that runs inside the page. It is kept as source text because bench/ compiles with
 * Node types only (no DOM); each snippet is a self-contained function expression.
 */

export interface PageMark {
  /** Date.now() when the row showed the expected name (MutationObserver). */
  dom: number;
  /** Date.now() in the next animation frame: the frame that paints it. */
  frame: number;
}

/** Arms a MutationObserver for one expected change of a peer's name. */
const ARM_MARK = `(args) => {
  window.__benchObserver?.disconnect();
  window.__benchMark = null;
  const selector = '[data-testid="peer-row"][data-peer-id="' + args.peerId + '"] [data-testid="peer-name"]';
  const observer = new MutationObserver(() => {
    if (window.__benchMark) return;
    if (document.querySelector(selector)?.textContent !== args.name) return;
    const mark = { dom: Date.now(), frame: 0 };
    window.__benchMark = mark;
    observer.disconnect();
    requestAnimationFrame(() => { mark.frame = Date.now(); });
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  window.__benchObserver = observer;
}`;

/** Resolves with performance.now() once the page shows `count` peer rows. */
const ROWS_SHOWN = `(count) => new Promise((resolve) => {
  const check = () => {
    if (document.querySelectorAll('[data-testid="peer-row"]').length >= count) resolve(performance.now());
    else requestAnimationFrame(check);
  };
  check();
})`;

const call = (fn: string, arg: unknown): string => `(${fn})(${JSON.stringify(arg)})`;

export const pageScripts = {
  armMark: (peerId: string, name: string) => call(ARM_MARK, { peerId, name }),
  rowsShown: (count: number) => call(ROWS_SHOWN, count),
  readMark: () =>
    '(() => { const m = window.__benchMark; return m && m.frame ? { ...m } : null; })()',
  readProfile: () => '({ ...(window.__LANRAGE_PROFILE__ ?? {}) })',
  firstContentfulPaint: () =>
    "(performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null)",
};
