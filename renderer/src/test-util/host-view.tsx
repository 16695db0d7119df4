/**
 * The app as the host of a party with Bob and Cid sees it (no invites, no bans unless
 * `handlers` say otherwise), and the answer a fake app handler gives when it succeeds.
 */
import { App } from '../components/App';
import { fakeApi, makeParty, makeState } from './fixtures';
import { renderWithStore } from './render';

export const ok = <T,>(value: T) => ({ ok: true as const, value });

export function hostView(handlers: Parameters<typeof fakeApi>[0] = {}) {
  const fake = fakeApi({ listInvites: () => ok([]), listBans: () => ok([]), ...handlers });
  const view = renderWithStore(
    <App />,
    makeState({ party: makeParty('alice', ['bob', 'cid']) }),
    fake.api,
  );
  return { ...view, fake };
}
