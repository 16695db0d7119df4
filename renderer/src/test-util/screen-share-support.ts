/** Steps and shorthands the ScreenShare tests (screen/screen-*.test.ts) share over a net. */
import type { ScreenSignal } from '../../../shared/media/screen';
import type { FakeScreenNet } from './screen-fakes';

/** The member picks a screen and every member hears of it. */
export async function share(net: FakeScreenNet, peerId: string): Promise<void> {
  await net.machine(peerId).start();
  await net.settle();
}

/** The viewer asks to watch and the link's offer and answer go through. */
export async function watch(net: FakeScreenNet, viewer: string, sharer: string): Promise<void> {
  net.machine(viewer).watch(sharer);
  await net.settle();
}

export const candidate = (text: string): ScreenSignal => ({
  kind: 'candidate',
  candidate: text,
  sdp_mid: '0',
  sdp_m_line_index: 0,
});

/** The candidates a fake link was given, in order. */
export const candidatesOf = (calls: string[]) => calls.filter((c) => c.startsWith('candidate'));
