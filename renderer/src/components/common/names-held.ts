/**
 * Names cut to two lines (Name.tsx, styles/names.css) show whole while keyboard focus is in
 * what holds them. A mouse press elsewhere moves focus at once: the names were cut again
 * before the button came up, the rows above shrank, the pressed button moved from under the
 * pointer and the click was lost (a member's ⋯ after Tab into the member table). While a
 * pointer is down, every name showing whole stays so; they are let go a frame after the
 * pointer comes up, when its click has been dispatched.
 */

/** The attribute names.css reads to keep a name whole while the pointer is down. */
export const HELD = 'data-names-held';

/** A two-line name (name-clamp) or a one-line voice/screen row's name (peer-name). */
const NAMES = '.name-clamp, .voice-peer .peer-name, .screen-sharer .peer-name';

/** Whether `name` shows whole now: its cut lifted by a keyboard rule in names.css. */
function shownWhole(name: Element, view: Window): boolean {
  const style = view.getComputedStyle(name);
  if (name.classList.contains('name-clamp')) return style.webkitLineClamp === 'none';
  return style.whiteSpace !== 'nowrap';
}

/** Installs the hold on `doc`; returns what removes it. */
export function holdNamesWhilePressed(doc: Document): () => void {
  const view = doc.defaultView;
  if (!view) return () => undefined;
  let held: Element[] = [];
  const press = (): void => {
    held = [...doc.querySelectorAll(NAMES)].filter((name) => shownWhole(name, view));
    for (const name of held) name.setAttribute(HELD, '');
  };
  const release = (): void => {
    const names = held;
    held = [];
    view.requestAnimationFrame(() => {
      // A press in between holds them again: only those it did not take are let go.
      for (const name of names) if (!held.includes(name)) name.removeAttribute(HELD);
    });
  };
  doc.addEventListener('pointerdown', press, true);
  doc.addEventListener('pointerup', release, true);
  doc.addEventListener('pointercancel', release, true);
  return () => {
    doc.removeEventListener('pointerdown', press, true);
    doc.removeEventListener('pointerup', release, true);
    doc.removeEventListener('pointercancel', release, true);
  };
}
