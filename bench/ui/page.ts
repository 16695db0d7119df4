/**
 * Code that runs inside the pages. It is kept as source text because bench/ compiles with
 * Node types only (no DOM); each snippet is a self-contained function expression.
 */

export interface PageMark {
  /** Date.now() in the MutationObserver callback that saw the row show the expected name. */
  dom: number;
  /**
   * Date.now() in a task posted from the next animation frame's callback: the rendering
   * step of that frame (paint) runs before the task, so this is when it is on screen.
   */
  frame: number;
}

/**
 * Arms a MutationObserver on one peer row for one expected name; `window.__benchMark` is the
 * promise of the mark. Only the row is observed, so the ticking "12 s ago" texts of the
 * other 255 rows do not run the callback.
 */
const ARM_MARK = `(args) => {
  window.__benchObserver?.disconnect();
  const row = document.querySelector('[data-testid="peer-row"][data-peer-id="' + args.peerId + '"]');
  if (!row) throw new Error('no row for ' + args.peerId);
  window.__benchMark = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (row.querySelector('[data-testid="peer-name"]')?.textContent !== args.name) return;
      const dom = Date.now();
      observer.disconnect();
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve({ dom, frame: Date.now() });
        channel.port2.postMessage(null);
      });
    });
    observer.observe(row, { subtree: true, childList: true, characterData: true });
    window.__benchObserver = observer;
  });
}`;

/** Awaits the armed mark (one round trip, no polling that would steal the page's CPU). */
const AWAIT_MARK = `(timeoutMs) => Promise.race([
  window.__benchMark,
  new Promise((_, reject) => setTimeout(() => reject(new Error('the page never showed the update')), timeoutMs)),
])`;

/**
 * Resolves with performance.now() (ms since navigation) once `count` peer rows are in the
 * DOM and the frame that paints them has run.
 */
const ROWS_SHOWN = `(count) => new Promise((resolve) => {
  const check = () => {
    if (document.querySelectorAll('[data-testid="peer-row"]').length < count) return requestAnimationFrame(check);
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(null);
  };
  requestAnimationFrame(check);
})`;

/**
 * The baseline: a minimal page that is a party member over a raw WebSocket to the control
 * server and writes each party_update's names straight into a plain list of rows (same
 * data-testids as the app, so the same mark script observes it). Resolves once joined.
 */
const BASELINE = `(args) => new Promise((resolve, reject) => {
  const list = document.createElement('ul');
  document.body.append(list);
  const names = new Map();
  const show = (peers) => {
    for (const peer of peers) {
      let name = names.get(peer.peer_id);
      if (!name) {
        const row = document.createElement('li');
        row.dataset.testid = 'peer-row';
        row.dataset.peerId = peer.peer_id;
        name = document.createElement('span');
        name.dataset.testid = 'peer-name';
        row.append(name);
        list.append(row);
        names.set(peer.peer_id, name);
      }
      if (name.textContent !== peer.name) name.textContent = peer.name;
    }
  };
  const ws = new WebSocket(args.url);
  ws.onopen = () => {
    ws.send(JSON.stringify({ type: 'hello', version: '1.0', client: 'lanrage-bench', request_id: 'b1' }));
    ws.send(JSON.stringify({ type: 'join_party', party_id: args.partyId, peer: args.peer, request_id: 'b2' }));
  };
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'party_update') show(Object.values(message.party.peers));
    else if (message.type === 'peer_joined') show([message.peer]);
    else if (message.type === 'error') reject(new Error('baseline: ' + message.message));
    if (message.request_id === 'b2' && message.type === 'party_update') resolve(true);
  };
  ws.onerror = () => reject(new Error('baseline: WebSocket failed'));
  window.__benchSocket = ws;
})`;

/** FCP from a buffered observer: the entry can be queued after the load the bench awaited. */
const FIRST_CONTENTFUL_PAINT = `new Promise((resolve) => {
  setTimeout(() => resolve(null), 1000);
  new PerformanceObserver((list) => {
    const entry = list.getEntriesByName('first-contentful-paint')[0];
    if (entry) resolve(entry.startTime);
  }).observe({ type: 'paint', buffered: true });
})`;

const call = (fn: string, arg: unknown): string => `(${fn})(${JSON.stringify(arg)})`;

export const pageScripts = {
  armMark: (peerId: string, name: string) => call(ARM_MARK, { peerId, name }),
  awaitMark: (timeoutMs: number) => call(AWAIT_MARK, timeoutMs),
  rowsShown: (count: number) => call(ROWS_SHOWN, count),
  baseline: (url: string, partyId: string, peer: Record<string, unknown>) =>
    call(BASELINE, { url, partyId, peer }),
  closeBaseline: () => 'window.__benchSocket?.close()',
  readProfile: () => '({ ...(window.__LANRAGE_PROFILE__ ?? {}) })',
  firstContentfulPaint: () => FIRST_CONTENTFUL_PAINT,
};
