import { useEffect } from 'react';
import { startClock } from '../store/clock';
import { useStore } from '../store/context';
import { Home } from './Home';
import { JoinDialog } from './JoinDialog';
import { Notices } from './Notices';
import { PartyView } from './PartyView';
import { SettingsDialog } from './SettingsDialog';
import { StatusBar } from './StatusBar';

function TopBar() {
  const openDialog = useStore((s) => s.openDialog);
  // Settings first: a saved display name shows at once, before my peer record catches up.
  const name = useStore((s) => s.settings?.peer_name ?? s.me?.name ?? '');
  return (
    <header className="top-bar">
      <span className="brand">
        LAN<span className="brand-accent">rage</span>
      </span>
      <span className="me-name" title="Your display name" data-testid="me-name">
        {name}
      </span>
      <button
        type="button"
        className="button button-small"
        data-testid="settings-button"
        onClick={() => openDialog('settings')}
      >
        Settings
      </button>
    </header>
  );
}

export function App() {
  const ready = useStore((s) => s.ready);
  const inParty = useStore((s) => s.party !== null);
  const dialog = useStore((s) => s.dialog);
  // An invite link opens the join dialog, which asks before joining.
  const invitedTo = useStore((s) => s.invite?.party_id ?? null);
  useEffect(() => startClock(), []);
  return (
    <div className="app">
      <TopBar />
      <Notices />
      <main className="content" aria-busy={!ready}>
        {!ready ? (
          <p className="hint loading">Connecting to LANrage…</p>
        ) : inParty ? (
          <PartyView />
        ) : (
          <Home />
        )}
      </main>
      <StatusBar />
      {/* Keyed by the invite: a newer link opens the dialog afresh, filled in with it. */}
      {(dialog === 'join' || (invitedTo !== null && dialog === null)) && (
        <JoinDialog key={invitedTo ?? 'typed'} />
      )}
      {dialog === 'settings' && <SettingsDialog />}
    </div>
  );
}
