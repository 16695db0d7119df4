import {
  useEffect,
  useId,
  useRef,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';

import { focusFirstOf } from './focus-rescue';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  title: string;
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

/** Tab from the last focusable goes to the first, Shift+Tab from the first to the last. */
function cycleTab(event: KeyboardEvent<HTMLDivElement>, dialog: HTMLDivElement | null): void {
  if (event.key !== 'Tab' || !dialog) return;
  const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

/** A modal dialog: focus moves in on open, Tab cycles inside, Esc closes, focus returns after. */
export function Dialog(props: DialogProps) {
  const { title, testId, onClose, children, wide } = props;
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useFocusInside(ref, props.returnFocusTo);
  useEscapeCloses(onClose);
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        className={wide ? 'dialog dialog-wide' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        onKeyDown={(event) => cycleTab(event, ref.current)}
      >
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        {children}
      </div>
    </div>
  );
}
