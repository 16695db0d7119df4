// @vitest-environment happy-dom
import { act, cleanup, renderHook, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RelayGrant } from '../../../shared/protocol/relay';
import { PartyView } from '../components/party/PartyView';
import { fakeApi, makeParty, makeState, makeStatus } from '../test-util/fixtures';
import { actAsync, renderWithStore } from '../test-util/render';
import { createAppStore } from '../store/app-store';
import { StoreProvider } from '../store/context';
import { fakeDevices, tick } from '../test-util/voice-fakes';
import { useVoice } from '../voice/use-voice';
import { RelayProvider } from './use-relay';

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

  it('a call that failed for want of a relay tries again at once when the relay comes', async () => {
    let grant: RelayGrant = { ice_servers: [], ttl: 3600 };
    const api = fakeApi({
      getRelay: () => ({ ok: true, value: grant }),
      sendVoiceSignal: () => ({ ok: true, value: null }),
    });
    const store = createAppStore(api.api);
    const base = makeState({ party: makeParty('bob', ['alice']) });
    const settings = { ...base.settings, relay_only: true };
    store.getState().applyEvent({ type: 'snapshot', state: { ...base, settings } });
    const devices = fakeDevices();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <StoreProvider store={store} api={api.api}>
        <RelayProvider>{children}</RelayProvider>
      </StoreProvider>
    );
    const hook = renderHook(() => useVoice(devices.createDeps), { wrapper });
    await act(async () => {
      hook.result.current.join();
      await tick();
    });
    act(() =>
      api.emit({ type: 'voice_signal', from: 'bob', signal: { kind: 'here', muted: false } }),
    );
    await act(tick);
    expect(devices.links).toHaveLength(1);
    act(() => devices.links[0]!.report('failed'));
    expect(hook.result.current.view.peers.bob?.state).toBe('failed');

    grant = { ice_servers: [RELAY], ttl: 3600 };
    const status = (state: 'reconnecting' | 'connected') =>
      store.getState().applyEvent({ type: 'status', status: makeStatus({ state }) });
    await actAsync(() => status('reconnecting'));
    await actAsync(() => status('connected'));
    await actAsync(() => undefined);
    // Not 2 s later, nor never (its tries spent): at once, a new link and its offer.
    expect(devices.links).toHaveLength(2);
    expect(devices.links[0]!.closed).toBe(true);
    expect(hook.result.current.view.peers.bob?.state).toBe('connecting');
  });
});
