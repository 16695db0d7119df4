import { useEffect, useState, type FormEvent } from 'react';
import { useStore, useStoreApi } from '../../store/context';
import { MAX_LIST_QUERY } from '../../../../shared/access/protocol';
import type { PartySummaryView } from '../../../../shared/ipc/access';
import { isFull } from '../../../../shared/party/summary';
import { accessWords, playersWords } from '../host/access-text';
import { ErrorAlert } from '../common/Feedback';
import { KeyIcon, LockIcon } from '../common/Icons';
import { Name } from '../common/Name';

/** One listed party: name, host, how full, how it lets people in, and Join. */
function BrowseRow({ party, onJoin }: { party: PartySummaryView; onJoin: () => void }) {
  const full = isFull(party.peer_count, party.max_peers);
  const closed = full || party.locked;
  // The mark is decoration: the words beside it say the same.
  const mark = party.locked ? <LockIcon /> : party.join_policy === 'password' ? <KeyIcon /> : null;
  return (
    <li className="browse-party" data-testid="browse-party" data-party-id={party.party_id}>
      <Name text={party.name} className="browse-name" />
      <span className="hint browse-host">
        hosted by <Name text={party.host_name} className="name-inline" />
      </span>
      <span className="browse-count" data-testid="browse-count">
        {playersWords(party.peer_count, party.max_peers)}
      </span>
      <span className="browse-access" data-testid="browse-access">
        {mark}
        {full && !party.locked ? 'Full' : accessWords(party)}
      </span>
      <button
        type="button"
        className="button button-small"
        data-testid="browse-join"
        disabled={closed}
        aria-label={`Join ${party.name}`}
        onClick={onJoin}
      >
        Join
      </button>
    </li>
  );
}

/** The name search: the list shown follows it once submitted. */
function BrowseSearch({ busy }: { busy: boolean }) {
  const browse = useStore((s) => s.browse);
  const shown = useStore((s) => s.browsing.query);
  const [query, setQuery] = useState(shown);
  function search(event: FormEvent) {
    event.preventDefault();
    void browse(query);
  }
  return (
    <form className="card browse-search" role="search" onSubmit={search}>
      <label className="field">
        <span className="label">Search by name</span>
        <input
          type="search"
          data-testid="browse-query"
          maxLength={MAX_LIST_QUERY}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </label>
      <button
        type="submit"
        className="button button-primary"
        data-testid="browse-search"
        disabled={busy}
      >
        Search
      </button>
    </form>
  );
}

/** How long an answer must stand before it is said: quick searches in a row are said once. */
export const BROWSE_SETTLE_MS = 600;

/** What the status says of an answer: how many parties the list shows, and if there are more. */
export function resultsWords(count: number, more: boolean): string {
  if (count === 0) return 'No party found';
  const found = `${count} ${count === 1 ? 'party' : 'parties'} found`;
  return more ? `${found}, and more with More parties` : found;
}

/**
 * The list changes where focus is not (focus stays in the search box): a polite status says
 * how many parties it shows once an answer has stood for BROWSE_SETTLE_MS, so a search
 * followed at once by another is said once, for the newest. In the page from the start, empty:
 * a region added with its text is often not read. A new node each time, so the same count
 * twice is said twice.
 */
function BrowseStatus() {
  const { parties, nextCursor, busy, error } = useStore((s) => s.browsing);
  const [said, setSaid] = useState({ text: '', n: 0 });
  useEffect(() => {
    // Busy: a newer question is out, its answer will be said. An error is an alert already.
    if (busy || error !== null || parties === null) return;
    const text = resultsWords(parties.length, nextCursor !== null);
    const timer = setTimeout(() => setSaid((s) => ({ text, n: s.n + 1 })), BROWSE_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [parties, nextCursor, busy, error]);
  return (
    <div className="visually-hidden" aria-live="polite" data-testid="browse-status">
      {said.text !== '' && <p key={said.n}>{said.text}</p>}
    </div>
  );
}

/** The page of parties found (or why there is none), and More while there are more. */
function BrowseResults() {
  const browsing = useStore((s) => s.browsing);
  const browseMore = useStore((s) => s.browseMore);
  const openJoin = useStore((s) => s.pickListed);
  const { parties, busy, error } = browsing;
  return (
    <div className="card" aria-busy={busy}>
      <ErrorAlert message={error} testId="browse-error" />
      {error === null && parties !== null && parties.length === 0 && (
        <p className="hint" data-testid="browse-empty">
          {browsing.query ? 'No public party matches that name.' : 'No public parties right now.'}
        </p>
      )}
      {parties !== null && parties.length > 0 && (
        <ul className="browse-list" aria-label="Public parties">
          {parties.map((p) => (
            <BrowseRow key={p.party_id} party={p} onJoin={() => openJoin(p)} />
          ))}
        </ul>
      )}
      {browsing.nextCursor !== null && (
        <button
          type="button"
          className="button"
          data-testid="browse-more"
          disabled={busy}
          onClick={() => void browseMore()}
        >
          {busy ? 'Loading…' : 'More parties'}
        </button>
      )}
    </div>
  );
}

/** Public parties on the server, newest first: search by name, page on, join. */
export function BrowseView() {
  const busy = useStore((s) => s.browsing.busy);
  const browse = useStore((s) => s.browse);
  const close = useStore((s) => s.showScreen);
  const store = useStoreApi();
  // The list as it is now, each time the view opens (with the search it last showed).
  useEffect(() => void browse(store.getState().browsing.query), [browse, store]);
  return (
    <section className="browse" data-testid="browse-view" aria-labelledby="browse-title">
      <div className="browse-title-row">
        <h1 id="browse-title" className="view-title" tabIndex={-1}>
          Public parties
        </h1>
        <button
          type="button"
          className="button"
          data-testid="browse-back"
          onClick={() => close('home')}
        >
          Back
        </button>
      </div>
      <BrowseSearch busy={busy} />
      <BrowseStatus />
      <BrowseResults />
    </section>
  );
}
