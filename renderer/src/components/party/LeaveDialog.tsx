import { useState, type FormEvent, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PartyView, PeerView } from '../../../../shared/ipc/app-state';
import { successorOrder } from '../../../../shared/party/successors';
import { useStore } from '../../store/context';
import { Dialog } from '../common/Dialog';
import { DialogActions, ErrorAlert } from '../common/Feedback';
import { Name } from '../common/Name';

type Choice = 'hand_over' | 'end';

/**
 * The other members: first whom the server would make host (successorOrder), the default;
 * then the rest, longest present first, whom the host may still pick.
 */
export function heirsOf(party: PartyView, myId: string | undefined): PeerView[] {
  const others = party.arrival.filter((id) => id !== myId && party.peers[id] !== undefined);
  const first = successorOrder(others, (id) => party.presence[id]?.status);
  const rest = others.filter((id) => !first.includes(id));
  return [...first, ...rest].map((id) => party.peers[id]!);
}

function useHeirs(): { id: string; name: string }[] {
  return useStore(useShallow((s) => (s.party ? heirsOf(s.party, s.me?.peer_id) : []))).map((p) => ({
    id: p.peer_id,
    name: p.name,
  }));
}

function LeaveRadio(props: {
  testId: string;
  checked: boolean;
  onPick: () => void;
  children: ReactNode;
}) {
  return (
    <label className="choice">
      <input
        type="radio"
        name="leave-choice"
        data-testid={props.testId}
        checked={props.checked}
        onChange={props.onPick}
      />
      <span>{props.children}</span>
    </label>
  );
}

interface ChoicesProps {
  heirs: { id: string; name: string }[];
  choice: Choice;
  onChoice: (choice: Choice) => void;
  heir: string;
  onHeir: (id: string) => void;
}

/**
 * Without a server, a party served by this app stays on it when handed over: quitting
 * LANrage later ends it for everyone, which nothing said (the new host was caught out).
 */
function useServedHere(): boolean {
  return useStore((s) => s.status?.state === 'local' && s.status.hostAddress === undefined);
}

/** Hand over (to whom, when there is more than one) or end the party. */
function LeaveChoices({ heirs, choice, onChoice, heir, onHeir }: ChoicesProps) {
  const heirName = heirs.find((h) => h.id === heir)?.name ?? 'a member';
  const servedHere = useServedHere();
  return (
    <fieldset className="field">
      <legend className="label">You are the host. What happens to the party?</legend>
      <LeaveRadio
        testId="leave-hand-over"
        checked={choice === 'hand_over'}
        onPick={() => onChoice('hand_over')}
      >
        Hand over to <Name text={heirName} className="name-inline" />
      </LeaveRadio>
      {servedHere && (
        <p className="hint" data-testid="leave-hand-over-note">
          The party keeps running on this PC until you quit LANrage: quitting ends it for everyone.
        </p>
      )}
      {heirs.length > 1 && (
        <select
          aria-label="New host"
          data-testid="leave-heir"
          value={heir}
          disabled={choice !== 'hand_over'}
          onChange={(e) => onHeir(e.target.value)}
        >
          {heirs.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
      )}
      <LeaveRadio testId="leave-end" checked={choice === 'end'} onPick={() => onChoice('end')}>
        End the party for everyone
      </LeaveRadio>
    </fieldset>
  );
}

/** Alone in the party: leaving ends it, and whoever waits to be let in is turned away. */
function AloneWithRequests() {
  const waiting = useStore((s) => s.joinRequests.length);
  const who = waiting === 1 ? '1 player is' : `${waiting} players are`;
  return (
    <p data-testid="leave-waiting">
      {waiting > 0 && `${who} waiting for you to let them in. `}
      You are the only member: leaving ends the party
      {waiting > 0 && ', and they are told it ended'}.
    </p>
  );
}

/**
 * The host's Leave: hand the party over (the default) or end it for everyone; alone, only
 * to confirm that the party ends.
 */
export function LeaveDialog() {
  const heirs = useHeirs();
  const [choice, setChoice] = useState<Choice>('hand_over');
  const [heir, setHeir] = useState(heirs[0]?.id ?? '');
  const busy = useStore((s) => s.busy.leave === true);
  const error = useStore((s) => s.errors.leave);
  const leaveParty = useStore((s) => s.leaveParty);
  const openDialog = useStore((s) => s.openDialog);
  function submit(event: FormEvent) {
    event.preventDefault();
    const alone = heirs.length === 0;
    void leaveParty(
      alone || choice === 'end' ? { end_for_everyone: true } : { hand_over_to: heir },
    );
  }
  return (
    <Dialog title="Leave the party" testId="leave-dialog" onClose={() => openDialog(null)}>
      <form onSubmit={submit} className="leave-form">
        {heirs.length === 0 ? (
          <AloneWithRequests />
        ) : (
          <LeaveChoices
            heirs={heirs}
            choice={choice}
            onChoice={setChoice}
            heir={heir}
            onHeir={setHeir}
          />
        )}
        <ErrorAlert message={error} />
        <DialogActions onCancel={() => openDialog(null)} busy={busy} submitTestId="leave-confirm">
          {busy ? 'Leaving…' : 'Leave'}
        </DialogActions>
      </form>
    </Dialog>
  );
}
