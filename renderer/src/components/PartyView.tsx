import { useState } from 'react';
import { inviteLink } from '../../../shared/invite';
import { useStore } from '../store/context';
import { copyText } from './copy-text';
import { PeerList } from './PeerList';
import { ErrorAlert } from './Feedback';

function CopyButton({ text }: { text: string }) {
  const [feedback, setFeedback] = useState<string | null>(null);
  async function copy() {
    const ok = await copyText(text);
    setFeedback(ok ? 'Copied!' : 'Copy failed: select the ID and copy it by hand');
    setTimeout(() => setFeedback(null), 2000);
  }
  return (
    <>
      <button
        type="button"
        className="button button-small"
        data-testid="copy-party-id"
        onClick={() => void copy()}
      >
        Copy
      </button>
      <span className="copy-feedback" role="status" aria-live="polite">
        {feedback}
      </span>
    </>
  );
}

export function PartyView() {
  const partyId = useStore((s) => s.party?.party_id ?? '');
  const name = useStore((s) => s.party?.name ?? '');
  const count = useStore((s) => (s.party ? Object.keys(s.party.peers).length : 0));
  const leaving = useStore((s) => s.busy.leave === true);
  const error = useStore((s) => s.errors.leave);
  const leaveParty = useStore((s) => s.leaveParty);
  return (
    <section className="party-view card" data-testid="party-view" aria-labelledby="party-name">
      <header className="party-header">
        <div>
          <h1 id="party-name" className="party-name" data-testid="party-name">
            {name}
          </h1>
          <div className="party-id-line">
            <span className="label">Party ID</span>
            <code className="party-id" data-testid="party-id">
              {partyId}
            </code>
            <CopyButton text={partyId} />
          </div>
          <p className="hint">
            Send your friends the party ID or the link <code>{inviteLink(partyId)}</code>
          </p>
        </div>
        <button
          type="button"
          className="button button-danger"
          data-testid="leave-party"
          disabled={leaving}
          onClick={() => void leaveParty()}
        >
          {leaving ? 'Leaving…' : 'Leave party'}
        </button>
      </header>
      <ErrorAlert message={error} />
      <h2 className="section-title">
        Peers <span className="count">{count}</span>
      </h2>
      <PeerList />
    </section>
  );
}
