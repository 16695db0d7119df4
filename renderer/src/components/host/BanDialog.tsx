import type { FormEvent } from 'react';
import { useStore } from '../../store/context';
import { Dialog } from '../common/Dialog';
import { DialogActions, ErrorAlert } from '../common/Feedback';

/** Asks before a ban: the member leaves now and cannot come back until unbanned. */
export function BanDialog() {
  const peerId = useStore((s) => s.banTarget);
  const name = useStore((s) => (s.banTarget ? s.party?.peers[s.banTarget]?.name : undefined));
  const busy = useStore((s) => s.busy.member === true);
  const error = useStore((s) => s.errors.member);
  const kickPeer = useStore((s) => s.kickPeer);
  const askBan = useStore((s) => s.askBan);
  if (peerId === null) return null;
  const who = name ?? 'this player';
  function submit(event: FormEvent) {
    event.preventDefault();
    if (peerId !== null) void kickPeer(peerId, true);
  }
  return (
    <Dialog title={`Ban ${who}?`} testId="ban-dialog" onClose={() => askBan(null)}>
      <form onSubmit={submit}>
        <p>
          {who} leaves the party now and cannot come back, even with a new invite, until you unban
          them in Party settings.
        </p>
        <ErrorAlert message={error} />
        <DialogActions onCancel={() => askBan(null)} busy={busy} submitTestId="ban-confirm">
          {busy ? 'Banning…' : 'Ban'}
        </DialogActions>
      </form>
    </Dialog>
  );
}
