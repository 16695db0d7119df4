/**
 * Runs `machine.memberBack` for each member whose presence turns online after it was offline:
 * their app restarted, or came back from a lost network, and what was said to them meanwhile
 * was lost (a member who just joined is not one: it was not listed before). Moving to another
 * party where one is online may count them back too: the machine only asks them again.
 */
import { useEffect, useRef } from 'react';
import { PresenceStatus } from '../../../shared/presence';
import { useStore } from '../store/context';

export function useMemberBack(machine: { memberBack(peerId: string): void } | null): void {
  // Strings, so a heartbeat (a new presence object, the same statuses) changes nothing.
  const online = useStore((s) => statusKey(s.party?.presence ?? {}, true));
  const offline = useStore((s) => statusKey(s.party?.presence ?? {}, false));
  const was = useRef<ReadonlySet<string>>(new Set());
  useEffect(() => {
    const before = was.current;
    was.current = new Set(split(offline));
    for (const peerId of split(online)) if (before.has(peerId)) machine?.memberBack(peerId);
  }, [machine, online, offline]);
}

function statusKey(presence: Record<string, { status: string }>, online: boolean): string {
  return Object.entries(presence)
    .filter(([, p]) => (p.status === PresenceStatus.ONLINE) === online)
    .map(([peerId]) => peerId)
    .sort()
    .join('\n');
}

const split = (key: string): string[] => (key === '' ? [] : key.split('\n'));
