import type { FormEvent } from 'react';
import { useStore } from '../../store/context';
import { Dialog } from '../common/Dialog';
import { DialogActions, ErrorAlert } from '../common/Feedback';
import { MEMBERS_TITLE_ID } from '../party/MemberMenu';
import { Name } from '../common/Name';

function BanTitle({ who }: { who: string }) {
  return (
    <>
      Ban <Name text={who} className="name-inline" />?
    </>
  );
}

/** Asks before a ban: the member leaves now, and their identity stays out until unbanned. */
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
    // Opened from a member's menu: once the ban took their row, focus goes to the members' title.
    <Dialog
      title={<BanTitle who={who} />}
      testId="ban-dialog"
      onClose={() => askBan(null)}
      returnFocusTo={[MEMBERS_TITLE_ID]}
    >
      <form onSubmit={submit}>
        <p>
          <Name text={who} className="name-inline" /> leaves the party now, and their LANrage
          identity cannot come back, even with a new invite, until you unban it in Party settings.
        </p>
        {/* A ban holds a peer id and key: a player who resets LANrage gets new ones. */}
        <p className="hint" data-testid="ban-limit">
          Someone who resets LANrage comes back as a new player: lock the party or ask for a
          password to keep newcomers out.
        </p>
        <ErrorAlert message={error} />
        <DialogActions onCancel={() => askBan(null)} busy={busy} submitTestId="ban-confirm">
          {busy ? 'Banning…' : 'Ban'}
        </DialogActions>
      </form>
    </Dialog>
  );
}
