// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RelayGrant } from '../../../shared/relay';
import { PartyView } from '../components/party/PartyView';
import { fakeApi, makeParty, makeState, makeStatus } from '../test-util/fixtures';
import { actAsync, renderWithStore } from '../test-util/render';

afterEach(cleanup);

const RELAY = { urls: ['turn:relay.example.org'], username: '1:alice', credential: 'eA==' };

describe('RelayProvider', () => {
  it('asks the server again when linked to it again: it may have come back with a relay', async () => {
    // The server first had no relay; its operator restarted it with --turn-url.
    let grant: RelayGrant = { ice_servers: [], ttl: 3600 };
    const api = fakeApi({ getRelay: () => ({ ok: true, value: grant }) });
    const base = makeState({ party: makeParty('bob', ['alice']) });
    const settings = { ...base.settings, relay_only: true };
    const { store } = renderWithStore(<PartyView />, { ...base, settings }, api.api);
    await actAsync(() => undefined);
    const asks = () => api.calls.filter((c) => c.channel === 'getRelay').length;
    expect(asks()).toBe(1);
    expect(screen.getByTestId('voice-relay-problem').textContent).toMatch(/has no relay/);

    grant = { ice_servers: [RELAY], ttl: 3600 };
    const status = (state: 'reconnecting' | 'connected') =>
      store.getState().applyEvent({ type: 'status', status: makeStatus({ state }) });
    await actAsync(() => status('reconnecting'));
    expect(asks()).toBe(1);
    await actAsync(() => status('connected'));
    await actAsync(() => undefined);
    expect(asks()).toBe(2);
    expect(screen.queryByTestId('voice-relay-problem')).toBeNull();
    // A heartbeat's status while still linked is no reconnect.
    await actAsync(() => status('connected'));
    expect(asks()).toBe(2);
  });
});
