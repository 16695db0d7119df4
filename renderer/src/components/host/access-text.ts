/** The words the UI uses for who may join a party, and for invites' limits. */
import type { PartySummaryView } from '../../../../shared/ipc/access';
import type { JoinPolicy } from '../../../../shared/party/settings';

export const JOIN_POLICIES: readonly JoinPolicy[] = ['open', 'password', 'approval', 'invite_only'];

export const JOIN_POLICY_LABEL: Record<JoinPolicy, string> = {
  open: 'Anyone with the ID',
  password: 'Anyone with the password',
  approval: 'I approve each player',
  invite_only: 'Only people I invite',
};

export const JOIN_POLICY_HINT: Record<JoinPolicy, string> = {
  open: 'Whoever has the party ID or link joins at once.',
  password: 'They also need the password you set.',
  approval: 'You see each request and let them in or not.',
  invite_only: 'Only an invite link you make gets someone in.',
};

/** The rule as members read it in the party view. */
export const JOIN_POLICY_RULE: Record<JoinPolicy, string> = {
  open: 'Anyone with the ID can join',
  password: 'Anyone with the password can join',
  approval: 'The host approves each player',
  invite_only: 'Invited players only',
};

/** How a listed party lets people in, in a few words (Browse). */
export function accessWords(party: Pick<PartySummaryView, 'join_policy' | 'locked'>): string {
  if (party.locked) return 'Locked';
  switch (party.join_policy) {
    case 'open':
      return 'Open';
    case 'password':
      return 'Password';
    case 'approval':
      return 'Host approves';
    case 'invite_only':
      return 'Invite only';
  }
}

export function playersWords(count: number, max: number): string {
  return `${count} of ${max} players`;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The expiry choices for a new invite, in seconds (null: the server's longest). */
export const INVITE_EXPIRY_CHOICES: readonly { label: string; seconds: number }[] = [
  { label: '1 hour', seconds: HOUR },
  { label: '1 day', seconds: DAY },
  { label: '7 days', seconds: 7 * DAY },
  { label: '30 days', seconds: 30 * DAY },
];

/** "expires in 3 h", "expires in 2 days", "expired". */
export function expiryWords(expiresAt: string, now: number): string {
  const left = Math.round((Date.parse(expiresAt) - now) / 1000);
  if (!Number.isFinite(left)) return 'expiry unknown';
  if (left <= 0) return 'expired';
  if (left < HOUR) return `expires in ${Math.max(1, Math.round(left / MINUTE))} min`;
  if (left < 2 * DAY) return `expires in ${Math.round(left / HOUR)} h`;
  return `expires in ${Math.round(left / DAY)} days`;
}

export function usesWords(uses: number, maxUses: number | null): string {
  if (maxUses === null) return `used ${uses} ${uses === 1 ? 'time' : 'times'}`;
  return `${uses} of ${maxUses} ${maxUses === 1 ? 'use' : 'uses'}`;
}
