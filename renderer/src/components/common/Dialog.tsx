import {
  useEffect,
  useId,
  useRef,
  useState,
  type FocusEvent,
  type ReactNode,
  type RefObject,
} from 'react';

import { focusFirstOf } from './focus-rescue';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  /** Text, or text with a name in it (common/Name.tsx). */
  title: ReactNode;
  testId: string;
  onClose: () => void;
  children: ReactNode;
  /** A dialog with more in it (party settings) gets more room. */
  wide?: boolean;
  /**
   * Where focus goes on close when what opened the dialog has left the page (a menu item, a
   * member's row): element ids, the first on the page wins, else the view's heading
   * (common/focus-rescue.ts).
   */
  returnFocusTo?: readonly string[];
}

/**
 * Focus moves to the field marked `data-autofocus` (the one left to fill in) or else the first
 * field on open, and back to whatever had it on close.
 */
function useFocusInside(
  ref: RefObject<HTMLDivElement | null>,
  returnFocusTo: readonly string[] = [],
): void {
  const fallback = useRef(returnFocusTo);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const ids = fallback.current;
    const first =
      ref.current?.querySelector<HTMLElement>('[data-autofocus]') ??
      ref.current?.querySelector<HTMLElement>('input, ' + FOCUSABLE);
    first?.focus();
    return () => {
      opener?.focus();
      // An opener that left the page (Join party, once joined) takes no focus, nor does <body>
      // (a dialog an invite link opened): focus is nowhere then, and goes to a fallback.
      queueMicrotask(() => focusFirstOf(ids));
    };
  }, [ref]);
}

/** Esc closes wherever focus is: a button disabled mid-action drops focus to <body>. */
function useEscapeCloses(onClose: () => void): void {
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });
  useEffect(() => {
    const onEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'Escape') onCloseRef.current();
    };
    document.addEventListener('keydown', onEscape);
    return () => document.removeEventListener('keydown', onEscape);
  }, []);
}

/** The tabbable elements of the dialog, in order. */
function tabbables(dialog: HTMLElement): HTMLElement[] {
  return [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
}

/**
 * Where Tab goes from focus on something not tabbable (the waiting sentence, the title, or
 * <body> after a button was disabled under it): the next tabbable inside, else round again.
 */
function nextFrom(dialog: HTMLElement, items: HTMLElement[], back: boolean): HTMLElement {
  const active = document.activeElement;
  const follows = (el: HTMLElement) =>
    active !== null && (active.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) > 0;
  const inside = dialog.contains(active);
  const ahead = inside ? items.filter(follows) : [];
  const before = inside ? items.filter((el) => !follows(el)) : [];
  if (back) return before[before.length - 1] ?? items[items.length - 1]!;
  return ahead[0] ?? items[0]!;
}

/**
 * Tab never leaves the dialog: from the last tabbable to the first, Shift+Tab the other way,
 * and from anything else (inside but not tabbable, or <body>) to the next one inside.
 */
function cycleTab(event: globalThis.KeyboardEvent, dialog: HTMLElement | null): void {
  if (event.key !== 'Tab' || !dialog || dialog.closest('[inert]')) return;
  const items = tabbables(dialog);
  const active = document.activeElement;
  const at = items.indexOf(active as HTMLElement);
  const edge = event.shiftKey ? 0 : items.length - 1;
  if (items.length === 0 || (at !== -1 && at !== edge)) return;
  event.preventDefault();
  if (at === edge) items[event.shiftKey ? items.length - 1 : 0]!.focus();
  else nextFrom(dialog, items, event.shiftKey).focus();
}

/** Tab is caught on the document: focus dropped to <body> sends no key to the dialog. */
function useTrapTab(ref: RefObject<HTMLDivElement | null>): void {
  useEffect(() => {
    const onTab = (event: globalThis.KeyboardEvent) => cycleTab(event, ref.current);
    document.addEventListener('keydown', onTab);
    return () => document.removeEventListener('keydown', onTab);
  }, [ref]);
}

/** How many open dialogs made each element inert (a dialog over a dialog). */
const inertBy = new Map<Element, number>();

/**
 * Everything beside the dialog (the top bar, notices, the view, the status bar) is inert while
 * it is open: neither Tab nor a screen reader's browse mode reaches the page behind, which
 * `aria-modal` alone does not stop in Chromium. Siblings along the way up, up to <body>.
 */
function useInertOutside(ref: RefObject<HTMLDivElement | null>): void {
  useEffect(() => {
    const made: Element[] = [];
    for (let node = ref.current?.parentElement; node && node !== document.body;) {
      for (const sibling of node.parentElement?.children ?? []) {
        if (sibling === node || (sibling.hasAttribute('inert') && !inertBy.has(sibling))) continue;
        inertBy.set(sibling, (inertBy.get(sibling) ?? 0) + 1);
        sibling.setAttribute('inert', '');
        made.push(sibling);
      }
      node = node.parentElement;
    }
    return () => {
      for (const el of made) {
        const left = (inertBy.get(el) ?? 1) - 1;
        if (left > 0) {
          inertBy.set(el, left);
        } else {
          inertBy.delete(el);
          el.removeAttribute('inert');
        }
      }
    };
  }, [ref]);
}

/**
 * Whether keyboard focus has been on one of the dialog's buttons: from then on its names show
 * whole (names.css), also once a click moves focus on. Keyed to focus alone, they were cut
 * again under the pointer as it pressed Cancel, the button moved up, and the click was lost.
 * A text field does not count: it matches :focus-visible under the mouse too.
 */
function useKeyboardSeen(): [boolean, (event: FocusEvent) => void] {
  const [seen, setSeen] = useState(false);
  const onFocus = (event: FocusEvent) => {
    if (!seen && event.target.matches('button:focus-visible')) setSeen(true);
  };
  return [seen, onFocus];
}

/**
 * A modal dialog: focus moves in on open, Tab cycles inside, the rest of the page is inert, Esc
 * closes, focus returns after.
 */
export function Dialog(props: DialogProps) {
  const { title, testId, onClose, children, wide } = props;
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  // First, so that its cleanup frees the page before focus goes back to the opener there.
  useInertOutside(ref);
  useFocusInside(ref, props.returnFocusTo);
  useTrapTab(ref);
  useEscapeCloses(onClose);
  const [keyboard, onFocus] = useKeyboardSeen();
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        className={wide ? 'dialog dialog-wide' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        data-keyboard={keyboard ? '' : undefined}
        onFocus={onFocus}
      >
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        {children}
      </div>
    </div>
  );
}
