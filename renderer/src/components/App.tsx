import { useEffect, useRef } from 'react';
import { startClock } from '../store/clock';
import { useStore } from '../store/context';
import { BanDialog } from './host/BanDialog';
import { BrowseView } from './home/BrowseView';
import { Home } from './home/Home';
import { JoinDialog } from './home/JoinDialog';
import { LeaveDialog } from './party/LeaveDialog';
import { Notices } from './Notices';
import { PartyEnded } from './party/PartyEnded';
import { PartySettingsDialog } from './host/PartySettingsDialog';
import { PartyView } from './party/PartyView';
import { SettingsDialog } from './SettingsDialog';
import { StatusBar } from './StatusBar';
import { Welcome } from './home/Welcome';

type View = 'loading' | 'welcome' | 'home' | 'browse' | 'party';

function TopBar() {
  const openDialog = useStore((s) => s.openDialog);
  // Settings first: a saved display name shows at once, before my peer record catches up.
  const name = useStore((s) => s.settings?.peer_name ?? s.me?.name ?? '');
  // Nothing to show or save before the app's first state (or on a page it refused).
  const ready = useStore((s) => s.ready);
  // The welcome asks for the name: until it is saved, the one here (the OS user's) is not it.
  const welcoming = useStore((s) => s.firstRun);
  return (
    <header className="top-bar">
      <span className="brand">
        LAN<span className="brand-accent">rage</span>
      </span>
      {!welcoming && (
        <span className="me-name" title="Your display name" data-testid="me-name">
          {name}
        </span>
      )}
      {ready && (
        <button
          type="button"
          className="button button-small"
          data-testid="settings-button"
          onClick={() => openDialog('settings')}
        >
          Settings
        </button>
      )}
    </header>
  );
}

/**
 * After Create, Join and Leave (and the welcome) the old view's focused button is gone:
 * focus moves to the new view's heading, so keyboard and screen-reader users land there.
 * When the app opens with a notice (a settings file kept aside), focus starts on the first
 * notice, above the view: on the welcome's heading, below it, the notice was never reached.
 */
function useFocusNewView(view: View): void {
  const previous = useRef(view);
  useEffect(() => {
    // A dialog that opened with the view (an invite's, once the welcome is done) keeps focus:
    // the heading is behind it, where Tab would walk the page under the dialog.
    const inDialog = document.activeElement?.closest('[role="dialog"]') ?? null;
    if (previous.current !== view && inDialog === null) {
      const target = previous.current === 'loading' ? '[data-testid="notice"]' : 'main h1';
      document.querySelector<HTMLElement>(target)?.focus();
    }
    previous.current = view;
  }, [view]);
}

/** Which view shows: the welcome on first run, the party while in one, else home or Browse. */
function useView(): View {
  return useStore((s): View =>
    !s.ready
      ? 'loading'
      : s.firstRun
        ? 'welcome'
        : s.party !== null
          ? 'party'
          : s.screen === 'browse'
            ? 'browse'
            : 'home',
  );
}

/** The dialog open over the view, if any; the party's dialogs only while in the party. */
function Dialogs({ view }: { view: View }) {
  const dialog = useStore((s) => s.dialog);
  // An invite link opens the join dialog, which asks before joining; after the welcome, whose
  // name the join would send.
  const invitedTo = useStore((s) => s.invite?.party_id ?? null);
  const pickedId = useStore((s) => s.nearbyPick?.preview.party_id ?? null);
  // However the join started, the joiner sees that the host is deciding, with Cancel.
  const waiting = useStore((s) => s.pendingJoin !== null);
  return (
    <>
      {/* Keyed by the invite: a newer link (or Browse's Join) opens the dialog anew, filled in. */}
      {(dialog === 'join' ||
        waiting ||
        (invitedTo !== null && dialog === null && view !== 'welcome')) && (
        <JoinDialog key={invitedTo ?? pickedId ?? 'typed'} />
      )}
      {dialog === 'settings' && <SettingsDialog />}
      {dialog === 'leave' && view === 'party' && <LeaveDialog />}
      {dialog === 'party_settings' && view === 'party' && <PartySettingsDialog />}
      {view === 'party' && <BanDialog />}
    </>
  );
}

/** Before the first state: connecting, unless the app refused this page (not its launch). */
function LoadingTitle() {
  const stale = useStore((s) => s.bridge === 'stale');
  return (
    <h1 className="view-title loading" data-testid="loading-title">
      {stale ? 'Open the link LANrage printed' : 'Connecting to LANrage…'}
    </h1>
  );
}

export function App() {
  const view = useView();
  useEffect(() => startClock(), []);
  useFocusNewView(view);
  return (
    <div className="app">
      <TopBar />
      <Notices />
      <main className="content" aria-busy={view === 'loading'}>
        {view === 'loading' && <LoadingTitle />}
        {view === 'welcome' && <Welcome />}
        {view === 'home' && (
          <>
            <PartyEnded />
            <Home />
          </>
        )}
        {view === 'browse' && <BrowseView />}
        {view === 'party' && <PartyView />}
      </main>
      <StatusBar />
      <Dialogs view={view} />
    </div>
  );
}
