import { useStore } from '../../store/context';
import { JOIN_POLICY_RULE } from '../host/access-text';
import { LockIcon } from '../common/Icons';

const LOCKED_RULE = 'Nobody new can join';

/** Who may join, how many, listed or not, locked or not: one line every member sees. */
export function PartyRules() {
  const settings = useStore((s) => s.party?.settings);
  if (!settings) return null;
  const parts = [
    // The badge says nobody new gets in: a rule saying who can join would contradict it.
    settings.locked ? LOCKED_RULE : JOIN_POLICY_RULE[settings.join_policy],
    `up to ${settings.max_peers} players`,
    settings.visibility === 'public' ? 'listed publicly' : 'not listed',
  ];
  return (
    <p className="hint party-settings-line" data-testid="party-rules">
      {settings.locked && (
        <strong className="badge badge-locked" data-testid="party-locked">
          <LockIcon />
          Locked
        </strong>
      )}{' '}
      {parts.join(' · ')}
    </p>
  );
}

/** The host's buttons: the settings dialog, and the lock as one click. */
export function HostTools() {
  const locked = useStore((s) => s.party?.settings?.locked === true);
  const busy = useStore((s) => s.busy.party_settings === true);
  const openDialog = useStore((s) => s.openDialog);
  const setLocked = useStore((s) => s.setLocked);
  return (
    <>
      <button
        type="button"
        className="button button-small"
        data-testid="open-party-settings"
        onClick={() => openDialog('party_settings')}
      >
        Party settings
      </button>
      <button
        type="button"
        className="button button-small"
        data-testid="toggle-lock"
        // The word says what it does ("Unlock party"): no aria-pressed as well (VoicePanel.tsx).
        // Not `disabled`: a focused button that becomes disabled drops focus to <body>, and a
        // keyboard user who pressed Lock would start over from the top of the page.
        aria-disabled={busy}
        onClick={() => void (busy || setLocked(!locked))}
      >
        {locked ? 'Unlock party' : 'Lock party'}
      </button>
    </>
  );
}
