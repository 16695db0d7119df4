import { afterEach, describe, expect, it } from 'vitest';
import { PromMetrics } from './metrics';
import { MemoryPartyStore } from '../store/test-util/memory-store';
import { TestRig, delay, hostParty, httpGet, peerDict } from '../test-util/support';

/** The value of one sample in a Prometheus text exposition (undefined when absent). */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('/metrics (Prometheus)', () => {
  const rig = new TestRig();
  afterEach(() => rig.cleanup());

  it('counts connections, sessions, parties, members, messages by type, errors by code and latencies', async () => {
    const server = await rig.start({ store: new MemoryPartyStore() });
    const [host, guest] = [await rig.connect(), await rig.connect()];
    await hostParty(host, 'party_p1_x', 'ha');
    await guest.hello();
    await guest.request({ type: 'join_party', party_id: 'party_p1_x', peer: peerDict('gb') });
    await host.next((f) => f.type === 'peer_joined');
    await guest.request({ type: 'heartbeat', party_id: 'party_p1_x', peer_id: 'gb' });
    await guest.request({ type: 'get_party', party_id: 'party_nope_x' });
    guest.sendRaw('not json');
    await guest.next((f) => f.type === 'error' && f.code === 'bad_request');
    await delay(20);

    const res = await httpGet(server.port, '/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = res.body;
    expect(sample(m, 'lanrage_connections')).toBe(2);
    expect(sample(m, 'lanrage_sessions')).toBe(2);
    // Each process's own count (with --redis too), not the shared state's: said so.
    expect(m).toContain(
      "# HELP lanrage_sessions Session tokens held in this process's memory (with --redis, " +
        "this server's own)",
    );
    expect(sample(m, 'lanrage_parties')).toBe(1);
    expect(sample(m, 'lanrage_members')).toBe(2);
    expect(sample(m, 'lanrage_messages_received_total', '{type="hello"}')).toBe(2);
    expect(sample(m, 'lanrage_messages_received_total', '{type="join_party"}')).toBe(1);
    expect(sample(m, 'lanrage_messages_received_total', '{type="invalid"}')).toBe(1);
    expect(sample(m, 'lanrage_messages_sent_total', '{type="welcome"}')).toBe(2);
    expect(sample(m, 'lanrage_messages_sent_total', '{type="party_update"}')).toBe(2);
    expect(sample(m, 'lanrage_messages_sent_total', '{type="peer_joined"}')).toBe(1);
    expect(sample(m, 'lanrage_messages_sent_total', '{type="heartbeat_ack"}')).toBe(1);
    expect(sample(m, 'lanrage_messages_sent_total', '{type="error"}')).toBe(2);
    expect(sample(m, 'lanrage_errors_total', '{code="not_found"}')).toBe(1);
    expect(sample(m, 'lanrage_errors_total', '{code="bad_request"}')).toBe(1);
    // register, join (and their ownerships): at least one durable commit each way.
    expect(sample(m, 'lanrage_commit_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'lanrage_fanout_seconds_count')).toBe(1);
    expect(sample(m, 'lanrage_process_resident_memory_bytes')).toBeGreaterThan(0);
    // Aggregates only: no party, peer or token appears.
    expect(m).not.toMatch(/p1|"ha"|"gb"/);
  });

  it('counts the relay credentials handed to members, not answers without any', async () => {
    const relay = {
      urls: ['turn:relay.example.org:3478'],
      secret: 'k'.repeat(40),
      ttlSeconds: 600,
    };
    const server = await rig.start({ store: new MemoryPartyStore(), relay });
    const host = await rig.connect();
    await hostParty(host, 'party_relay_m', 'hr');
    await host.request({ type: 'get_relay', party_id: 'party_relay_m' });
    await host.request({ type: 'get_relay', party_id: 'party_relay_m' });
    const stranger = await rig.connect();
    await stranger.hello();
    await stranger.request({ type: 'get_relay', party_id: 'party_relay_m' });
    const m = (await httpGet(server.port, '/metrics')).body;
    expect(sample(m, 'lanrage_relay_credentials_total')).toBe(2);
    expect(sample(m, 'lanrage_messages_received_total', '{type="get_relay"}')).toBe(3);
    expect(m).not.toContain(relay.secret);
  });

  it('counts no relay credentials on a server without a relay', async () => {
    const server = await rig.start({ store: new MemoryPartyStore() });
    const host = await rig.connect();
    await hostParty(host, 'party_relay_n', 'hn');
    expect(await host.request({ type: 'get_relay', party_id: 'party_relay_n' })).toMatchObject({
      ice_servers: [],
    });
    const m = (await httpGet(server.port, '/metrics')).body;
    expect(sample(m, 'lanrage_relay_credentials_total')).toBe(0);
    expect(sample(m, 'lanrage_messages_sent_total', '{type="relay"}')).toBe(1);
  });

  it('gauges follow what is left after a member leaves and a client disconnects', async () => {
    const server = await rig.start({ store: new MemoryPartyStore() });
    const [host, guest] = [await rig.connect(), await rig.connect()];
    await hostParty(host, 'party_p1_x', 'ha');
    await guest.hello();
    await guest.request({ type: 'join_party', party_id: 'party_p1_x', peer: peerDict('gb') });
    await guest.request({ type: 'leave_party', party_id: 'party_p1_x', peer_id: 'gb' });
    await guest.close();
    await delay(50);
    const m = (await httpGet(server.port, '/metrics')).body;
    expect(sample(m, 'lanrage_connections')).toBe(1);
    expect(sample(m, 'lanrage_members')).toBe(1);
    expect(sample(m, 'lanrage_messages_sent_total', '{type="peer_left"}')).toBe(1);
  });
});

describe('PromMetrics labels', () => {
  it('keeps label sets bounded: unknown types and codes are counted, not named', async () => {
    const m = new PromMetrics({
      connections: () => 0,
      sessions: () => 0,
      parties: () => 0,
      members: () => 0,
    });
    m.received('no_such_type');
    m.sent('{"type":"ack"}');
    m.sent(Buffer.from('{"type":"ack"}'));
    m.sent('{"request_id":"r1","type":"ack"}');
    m.sent('{"type":"made_up"}');
    // The sender's word for the type is taken (no frame read), but still bounded.
    m.sent('{"type":"ack"}', 'heartbeat_ack');
    m.sent('{"type":"ack"}', 'made_up');
    m.failed('x'.repeat(30));
    const { body } = await m.exposition();
    expect(sample(body, 'lanrage_messages_received_total', '{type="invalid"}')).toBe(1);
    expect(sample(body, 'lanrage_messages_sent_total', '{type="ack"}')).toBe(2);
    expect(sample(body, 'lanrage_messages_sent_total', '{type="heartbeat_ack"}')).toBe(1);
    expect(sample(body, 'lanrage_messages_sent_total', '{type="other"}')).toBe(3);
    expect(sample(body, 'lanrage_errors_total', '{code="other"}')).toBe(1);
    expect(body).not.toMatch(/no_such_type|made_up|xxxx/);
  });
});
