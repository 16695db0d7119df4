import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type FocusEvent,
  type RefObject,
} from 'react';
import { useStore } from '../../store/context';
import { rescueFocusTo } from '../common/focus-rescue';

interface MemberMenuProps {
  peerId: string;
  name: string;
}

/** The party view's "Members" title: where focus goes when the row it was in goes away. */
export const MEMBERS_TITLE_ID = 'members-title';

/** After Make host the menus go (I am no longer host) while the rows stay. */
const toMembers = rescueFocusTo(MEMBERS_TITLE_ID);

/**
 * While open: a click elsewhere shuts it, and so does Esc wherever focus is (back to the toggle
 * when focus was in the menu, or nowhere).
 */
function useShutFromOutside(
  open: boolean,
  root: RefObject<HTMLSpanElement | null>,
  setOpen: (open: boolean) => void,
  shut: () => void,
): void {
  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const escape = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      const active = document.activeElement;
      if (active === document.body || root.current?.contains(active)) shut();
      else setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('mousedown', outside);
      document.removeEventListener('keydown', escape);
    };
  }, [open, root, setOpen, shut]);
}

/**
 * Open or shut. Focus leaving it (Tab past its last item) shuts it: left open, it covered the
 * next rows' buttons, which took focus unseen underneath.
 */
function useDisclosure() {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLSpanElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const rootRef = useCallback((node: HTMLSpanElement | null) => {
    root.current = node;
    const leaving = toMembers(node);
    return () => {
      root.current = null;
      leaving?.();
    };
  }, []);
  const shut = useCallback(() => {
    setOpen(false);
    toggle.current?.focus();
  }, []);
  useShutFromOutside(open, root, setOpen, shut);
  const onBlur = (e: FocusEvent) => {
    const to = e.relatedTarget;
    if (to instanceof Node && !root.current?.contains(to)) setOpen(false);
  };
  return { open, flip: () => setOpen((o) => !o), shut, rootRef, toggle, onBlur };
}

function MenuItem(props: { testId: string; danger?: boolean; onClick: () => void; label: string }) {
  return (
    <li>
      <button
        type="button"
        className={props.danger ? 'button button-small button-danger' : 'button button-small'}
        data-testid={props.testId}
        onClick={props.onClick}
      >
        {props.label}
      </button>
    </li>
  );
}

/** Kick removes the row with its menu, which would drop focus to <body>. */
function focusMembers(): void {
  document.getElementById(MEMBERS_TITLE_ID)?.focus();
}

/** Make host, kick, ban: each shuts the menu first (`run`), then acts on the member. */
function MemberActions({ peerId, run }: { peerId: string; run: (action: () => unknown) => void }) {
  const transferHost = useStore((s) => s.transferHost);
  const kickPeer = useStore((s) => s.kickPeer);
  const askBan = useStore((s) => s.askBan);
  return (
    <>
      <MenuItem
        testId="make-host"
        label="Make host"
        onClick={() => run(() => void transferHost(peerId))}
      />
      <MenuItem
        testId="kick-member"
        label="Kick"
        onClick={() => run(() => void kickPeer(peerId, false).then(focusMembers))}
      />
      <MenuItem testId="ban-member" label="Ban…" danger onClick={() => run(() => askBan(peerId))} />
    </>
  );
}

/**
 * The open list scrolled into view: opened on the last member's row at 360×640 it ran under
 * the status bar, Kick and Ban out of sight below the view.
 */
function useInView(open: boolean) {
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (open) list.current?.scrollIntoView?.({ block: 'nearest' });
  }, [open]);
  return list;
}

/**
 * The host's actions on one member: make host, kick, ban (which asks first). A disclosure
 * (a button that shows a short list of buttons), so Tab and Enter are all it takes; Esc or
 * a click elsewhere closes it, as does Tab out of it.
 */
export function MemberMenu({ peerId, name }: MemberMenuProps) {
  const { open, flip, shut, rootRef, toggle, onBlur } = useDisclosure();
  const list = useInView(open);
  const listId = useId();
  const busy = useStore((s) => s.busy.member === true);
  function run(action: () => unknown) {
    shut();
    action();
  }
  return (
    <span ref={rootRef} className="member-menu" onBlur={onBlur}>
      <button
        ref={toggle}
        type="button"
        className="button button-small member-menu-toggle"
        data-testid="member-menu"
        aria-expanded={open}
        aria-controls={listId}
        aria-label={`Actions for ${name}`}
        // Not `disabled` while an action is sent: focus is put back here, and would drop.
        aria-disabled={busy}
        onClick={() => busy || flip()}
      >
        ⋯
      </button>
      <ul ref={list} id={listId} className="member-menu-list" hidden={!open}>
        <MemberActions peerId={peerId} run={run} />
      </ul>
    </span>
  );
}
