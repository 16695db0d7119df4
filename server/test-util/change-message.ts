/** A change as another server publishes it (server/state/replication.ts), for replica tests. */
import type { ChangeMessage } from '../state/replication';

/** The message with nothing in it but `over`, from server "other". */
export const changeMessage = (over: Partial<ChangeMessage>): string =>
  JSON.stringify({
    from: 'other',
    parties: [],
    owners: [],
    presence: [],
    seen: [],
    fanout: [],
    access: [],
    ...over,
  } satisfies ChangeMessage);
