import { describe, expect, it } from 'vitest';
import type { RelayGrant } from '../../../shared/protocol/relay';
import { FakeTimers } from '../test-util/fake-timers';
import { RelayConfig, RETRY_MS, type RelayState } from './relay-config';

const RELAY = { urls: ['turn:relay.example.org:3478'], username: '99:me', credential: 'c2VjcmV0' };
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(answers: (RelayGrant | Error)[], relayOnly = false) {
  const timers = new FakeTimers();
  const states: RelayState[] = [];
  let asked = 0;
  const config = new RelayConfig({
    fetch: () => {
      const answer = answers[Math.min(asked, answers.length - 1)]!;
      asked += 1;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
    later: timers.laterFor('relay'),
    relayOnly: () => relayOnly,
    onState: (state) => states.push(state),
  });
  return { config, timers, states, asked: () => asked };
}

describe('RelayConfig', () => {
  it("gives new links the server's relays, and asks again when 80 % of their life is gone", async () => {
    const { config, timers, states, asked } = setup([{ ice_servers: [RELAY], ttl: 600 }]);
    expect(config.rtc()).toEqual({ iceServers: [], iceTransportPolicy: 'all' });
    config.start();
    await settle();
    expect(states).toEqual(['ready']);
    expect(config.rtc()).toEqual({ iceServers: [RELAY], iceTransportPolicy: 'all' });
    expect(timers.waits()).toEqual(['relay 480000']);
    timers.fireNext();
    await settle();
    expect(asked()).toBe(2);
    expect(states).toEqual(['ready']);
  });

  it('with "hide my address" allows relayed paths only, even before a relay is known', async () => {
    const { config } = setup([{ ice_servers: [], ttl: 3600 }], true);
    expect(config.rtc()).toEqual({ iceServers: [], iceTransportPolicy: 'relay' });
    config.start();
    await settle();
    expect(config.state).toBe('none');
    expect(config.rtc().iceTransportPolicy).toBe('relay');
  });

  it('reads a server whose relays were all dropped as too near as refused, not as none', async () => {
    const { config, states } = setup([{ ice_servers: [], ttl: 3600, ignored: 2 }], true);
    config.start();
    await settle();
    expect(states).toEqual(['refused']);
    expect(config.rtc()).toEqual({ iceServers: [], iceTransportPolicy: 'relay' });
  });

  it('keeps what it had through a failed ask, and asks again 10 s later', async () => {
    const failing = new Error('Not connected to the party’s server');
    const { config, timers, states } = setup([{ ice_servers: [RELAY], ttl: 60 }, failing]);
    config.start();
    await settle();
    expect(timers.waits()).toEqual(['relay 48000']);
    timers.fireNext();
    await settle();
    expect(config.rtc().iceServers).toEqual([RELAY]);
    expect(timers.waits()).toEqual([`relay ${RETRY_MS}`]);
    expect(states).toEqual(['ready']);
  });

  it('asks no sooner than every 30 s, and nothing after stop', async () => {
    const { config, timers, asked } = setup([{ ice_servers: [RELAY], ttl: 1 }]);
    config.start();
    await settle();
    expect(timers.waits()).toEqual(['relay 30000']);
    config.stop();
    expect(timers.pending).toEqual([]);
    expect(asked()).toBe(1);
  });

  it('asks now when told, in place of the waiting ask, and once while an answer is awaited', async () => {
    const { config, timers, asked } = setup([{ ice_servers: [], ttl: 3600 }]);
    config.start();
    config.askNow();
    await settle();
    expect(asked()).toBe(1);
    expect(timers.waits()).toEqual(['relay 2880000']);
    config.askNow();
    expect(asked()).toBe(2);
    await settle();
    expect(timers.waits()).toEqual(['relay 2880000']);
    config.stop();
    config.askNow();
    expect(asked()).toBe(2);
  });
});
