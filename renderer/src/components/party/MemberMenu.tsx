import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
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

/** Open or shut; a click elsewhere shuts it, Esc shuts it and puts focus back on its toggle. */
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
  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);
  const shut = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && open) {
      e.stopPropagation();
      shut();
    }
  };
  return { open, flip: () => setOpen((o) => !o), shut, rootRef, toggle, onKeyDown };
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
 * The host's actions on one member: make host, kick, ban (which asks first). A disclosure
 * (a button that shows a short list of buttons), so Tab and Enter are all it takes; Esc or
 * a click elsewhere closes it.
 */
export function MemberMenu({ peerId, name }: MemberMenuProps) {
  const { open, flip, shut, rootRef, toggle, onKeyDown } = useDisclosure();
  const listId = useId();
  const busy = useStore((s) => s.busy.member === true);
  function run(action: () => unknown) {
    shut();
    action();
  }
  return (
    <span ref={rootRef} className="member-menu" onKeyDown={onKeyDown}>
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
      <ul id={listId} className="member-menu-list" hidden={!open}>
        <MemberActions peerId={peerId} run={run} />
      </ul>
    </span>
  );
}
