/**
 * Test support for the group committer: a fixed start time and offsets from it, a peer from
 * the sample peer dict, and a turn of the event loop (for commits in flight to move on).
 */
import { PeerInfo } from '../../../shared/model';
import { peerDict } from '../../test-util/support';

export const T0 = new Date('2026-01-29T12:00:00Z');
export const later = (ms: number): Date => new Date(T0.getTime() + ms);
export const peer = (id: string): PeerInfo => PeerInfo.fromDict(peerDict(id));
export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
