import { useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store/context';
import { Dialog } from './Dialog';
import { DialogActions, ErrorAlert } from './Feedback';

type Choice = 'hand_over' | 'end';

/** The other members, longest present first, online ones before the rest. */
function useHeirs(): { id: string; name: string }[] {
  return useStore(
    useShallow((s) => {
      const party = s.party;
      if (!party) return [];
      const others = Object.values(party.peers).filter((p) => p.peer_id !== s.me?.peer_id);
      const online = (id: string) => party.presence[id]?.status !== 'offline';
      return [
        ...others.filter((p) => online(p.peer_id)),
        ...others.filter((p) => !online(p.peer_id)),
      ];
    }),
  ).map((p) => ({ id: p.peer_id, name: p.name }));
}

/** The host's Leave: hand the party over (the default) or end it for everyone. */
export function LeaveDialog() {
  const heirs = useHeirs();
  const [choice, setChoice] = useState<Choice>('hand_over');
  const [heir, setHeir] = useState(heirs[0]?.id ?? '');
  const busy = useStore((s) => s.busy.leave === true);
  const error = useStore((s) => s.errors.leave);
  const leaveParty = useStore((s) => s.leaveParty);
  const openDialog = useStore((s) => s.openDialog);
  const heirName = heirs.find((h) => h.id === heir)?.name ?? 'a member';
  function submit(event: FormEvent) {
    event.preventDefault();
    void leaveParty(choice === 'end' ? { end_for_everyone: true } : { hand_over_to: heir });
  }
  return (
    <Dialog title="Leave the party" testId="leave-dialog" onClose={() => openDialog(null)}>
      <form onSubmit={submit} className="leave-form">
        <fieldset className="field">
          <legend className="label">You are the host. What happens to the party?</legend>
          <label className="choice">
            <input
              type="radio"
              name="leave-choice"
              data-testid="leave-hand-over"
              checked={choice === 'hand_over'}
              onChange={() => setChoice('hand_over')}
            />
            <span>Hand over to {heirName}</span>
          </label>
          {heirs.length > 1 && (
            <select
              aria-label="New host"
              data-testid="leave-heir"
              value={heir}
              disabled={choice !== 'hand_over'}
              onChange={(e) => setHeir(e.target.value)}
            >
              {heirs.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.name}
                </option>
              ))}
            </select>
          )}
          <label className="choice">
            <input
              type="radio"
              name="leave-choice"
              data-testid="leave-end"
              checked={choice === 'end'}
              onChange={() => setChoice('end')}
            />
            <span>End the party for everyone</span>
          </label>
        </fieldset>
        <ErrorAlert message={error} />
        <DialogActions onCancel={() => openDialog(null)} busy={busy} submitTestId="leave-confirm">
          {busy ? 'Leaving…' : 'Leave'}
        </DialogActions>
      </form>
    </Dialog>
  );
}
