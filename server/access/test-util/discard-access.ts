/** Test support: an access sink that keeps nothing (tests of one concern in isolation). */
import type { AccessSink } from '../records';

export const discardAccess: AccessSink = { recordAccess: () => undefined };
