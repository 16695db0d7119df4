import { useEffect, useId, useRef, useState } from 'react';
import { useStore } from '../store/context';

interface MemberMenuProps {
  peerId: string;
  name: string;
}

/**
 * The host's actions on one member: make host, kick, ban (which asks first). A disclosure
 * (a button that shows a short list of buttons), so Tab and Enter are all it takes; Esc or
 * a click elsewhere closes it.
 */
export function MemberMenu({ peerId, name }: MemberMenuProps) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const root = useRef<HTMLSpanElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const busy = useStore((s) => s.busy.member === true);
  const transferHost = useStore((s) => s.transferHost);
  const kickPeer = useStore((s) => s.kickPeer);
  const askBan = useStore((s) => s.askBan);

  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  function run(action: () => unknown) {
    setOpen(false);
    toggle.current?.focus();
    action();
  }
  return (
    <span
      ref={root}
      className="member-menu"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          toggle.current?.focus();
        }
      }}
    >
      <button
        ref={toggle}
        type="button"
        className="button button-small member-menu-toggle"
        data-testid="member-menu"
        aria-expanded={open}
        aria-controls={listId}
        aria-label={`Actions for ${name}`}
        disabled={busy}
        onClick={() => setOpen((o) => !o)}
      >
        ⋯
      </button>
      <ul id={listId} className="member-menu-list" hidden={!open}>
        <li>
          <button
            type="button"
            className="button button-small"
            data-testid="make-host"
            onClick={() => run(() => void transferHost(peerId))}
          >
            Make host
          </button>
        </li>
        <li>
          <button
            type="button"
            className="button button-small"
            data-testid="kick-member"
            onClick={() => run(() => void kickPeer(peerId, false))}
          >
            Kick
          </button>
        </li>
        <li>
          <button
            type="button"
            className="button button-small button-danger"
            data-testid="ban-member"
            onClick={() => run(() => askBan(peerId))}
          >
            Ban…
          </button>
        </li>
      </ul>
    </span>
  );
}
