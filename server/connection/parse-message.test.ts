import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientMessageSchema } from '../../shared/protocol/client-messages';
import { peerDict } from '../test-util/support';
import { parseClientMessage, plainHeartbeat, plainJoin, plainLeave } from './parse-message';

/** Values near a heartbeat: each field valid, missing, or one of the ways it can be wrong. */
const id = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,70}$/) },
  fc.constantFrom('', '-lead', 'white space', 'ÜNICODE', 'a'.repeat(64), 'a'.repeat(65)),
  fc.integer(),
  fc.constant(null),
);
const nearHeartbeat = fc
  .record(
    {
      type: fc.constantFrom('heartbeat', 'heartbeat', 'heartbeat', 'Heartbeat', 'leave_party', 1),
      party_id: id,
      peer_id: id,
      rtt_ms: fc.oneof(
        { weight: 3, arbitrary: fc.double({ min: 0, max: 60_000, noNaN: true }) },
        fc.double({ min: -10, max: 70_000, noNaN: false }),
        fc.constantFrom(0, 60_000, 60_000.5, -0, Number.POSITIVE_INFINITY),
        fc.string({ maxLength: 3 }),
        fc.constant(null),
      ),
      request_id: fc.oneof(
        { weight: 3, arbitrary: fc.string({ maxLength: 70 }) },
        fc.constantFrom('', 'r'.repeat(64), 'r'.repeat(65)),
        fc.integer(),
        fc.constant(null),
      ),
      extra: fc.jsonValue({ maxDepth: 1 }),
    },
    { requiredKeys: [] },
  )
  .map((v) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>);

/**
 * A plain check against the schema: whatever it takes, zod takes with the same output, and
 * what it leaves to zod is only what zod refuses or a form it does not take.
 */
function agreesWithZod(
  values: fc.Arbitrary<Record<string, unknown>>,
  plain: (value: Record<string, unknown>) => unknown,
): void {
  fc.assert(
    fc.property(values, (value) => {
      const fast = plain(value);
      const zod = ClientMessageSchema.safeParse(value);
      if (fast !== undefined) {
        expect(zod.success).toBe(true);
        expect(fast).toStrictEqual(zod.data);
      }
      expect(parseClientMessage(value)).toStrictEqual(zod);
    }),
    { numRuns: 3000 },
  );
}

describe('plainHeartbeat', () => {
  it('accepts only what HeartbeatSchema accepts, with the same output', () => {
    agreesWithZod(nearHeartbeat, plainHeartbeat);
  });

  it('takes the plain heartbeat a client sends, folding the party id as the schema does', () => {
    const value = { type: 'heartbeat', party_id: 'Party_ABC', peer_id: 'peer1', rtt_ms: 12.5 };
    expect(plainHeartbeat({ ...value, request_id: 'r1', extra: 1 })).toStrictEqual({
      type: 'heartbeat',
      party_id: 'party_abc',
      peer_id: 'peer1',
      rtt_ms: 12.5,
      request_id: 'r1',
    });
    expect(plainHeartbeat({ type: 'heartbeat', party_id: 'p_1', peer_id: 'x' })).toBeDefined();
  });

  it('leaves every wrong heartbeat to zod, whose error the client sees', () => {
    const base = { type: 'heartbeat', party_id: 'party_1', peer_id: 'peer1' };
    for (const wrong of [
      { ...base, peer_id: 'bad id' },
      { ...base, party_id: 'x'.repeat(65) },
      { ...base, rtt_ms: -1 },
      { ...base, rtt_ms: 60_001 },
      { ...base, rtt_ms: '5' },
      { ...base, request_id: '' },
      { ...base, request_id: 'r'.repeat(65) },
    ]) {
      expect(plainHeartbeat(wrong)).toBeUndefined();
      expect(parseClientMessage(wrong).success).toBe(false);
    }
  });
});

/** Values near a leave_party: the heartbeat's fields, mostly typed as a leave. */
const nearLeave = nearHeartbeat.map((v) =>
  v.type === 'heartbeat' ? { ...v, type: 'leave_party' } : v,
);

describe('plainLeave', () => {
  it('accepts only what LeavePartySchema accepts, with the same output', () => {
    agreesWithZod(nearLeave, plainLeave);
  });

  it('takes the plain leave a client sends, and leaves every wrong one to zod', () => {
    const base = { type: 'leave_party', party_id: 'Party_ABC', peer_id: 'peer1' };
    expect(plainLeave({ ...base, request_id: 'r1', extra: 1 })).toStrictEqual({
      type: 'leave_party',
      party_id: 'party_abc',
      peer_id: 'peer1',
      request_id: 'r1',
    });
    for (const wrong of [
      { ...base, peer_id: 'bad id' },
      { ...base, party_id: 'x'.repeat(65) },
      { ...base, request_id: '' },
      { ...base, request_id: 7 },
    ]) {
      expect(plainLeave(wrong)).toBeUndefined();
      expect(parseClientMessage(wrong).success).toBe(false);
    }
  });
});

/**
 * Values near a join_party: an app's plain join, mostly, with one field of its peer (or of
 * the message) swapped for a value near the rule: valid in another form, or refused.
 */
const validPeer = fc.record({
  peer_id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}$/),
  name: fc.string({ minLength: 1, maxLength: 20 }),
  public_key: fc.string({ minLength: 1, maxLength: 50 }),
  nat_type: fc.constantFrom('full_cone', 'symmetric', 'unknown'),
  public_ip: fc.ipV4(),
  public_port: fc.integer({ min: 0, max: 65535 }),
  local_ip: fc.ipV4(),
  local_port: fc.integer({ min: 0, max: 65535 }),
  last_seen: fc
    .date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true })
    .map((d) => d.toISOString()),
});
const near: Record<string, fc.Arbitrary<unknown>> = {
  peer_id: id,
  name: fc.oneof(
    fc.constantFrom('', '   ', 'Ｆｕｌｌ', 'a\u202eb', 'x\t y', 'é'.repeat(64), 'é'.repeat(65)),
    // Either side of the length a name may have before it is normalized.
    fc.constantFrom(
      `${'\u200b'.repeat(253)}Bob`,
      `${'\u200b'.repeat(254)}Bob`,
      '\ufdfa'.repeat(300),
    ),
    fc.string({ unit: 'grapheme', maxLength: 70 }),
    fc.integer(),
  ),
  public_key: fc.constantFrom('', 'k'.repeat(256), 'k'.repeat(257), 5),
  nat_type: fc.constantFrom('', 'n'.repeat(32), 'n'.repeat(33), null),
  public_ip: fc.oneof(fc.ipV6(), fc.ipV4Extended(), fc.constantFrom('256.1.1.1', '01.2.3.4', '')),
  local_ip: fc.oneof(fc.ipV6(), fc.constantFrom('1.2.3', ' 1.2.3.4', '::1', 7)),
  public_port: fc.constantFrom(-1, 65536, 1.5, -0, 2 ** 53, '80'),
  local_port: fc.constantFrom(65535, 0, -1, null),
  last_seen: fc.constantFrom(
    '2026-01-29T12:05:00',
    '2026-01-29T12:05:00.123456789+01:00',
    '2026-01-29T12:05',
    '2026-02-30T12:05:00',
    '2026-01-29 12:05:00',
    `2026-01-29T12:05:00.${'1'.repeat(40)}`,
    '',
    0,
  ),
  extra: fc.jsonValue({ maxDepth: 1 }),
};
/** One field swapped (or removed: undefined is dropped by the JSON round trip). */
const swap: fc.Arbitrary<[string, unknown]> = fc.oneof(
  ...Object.entries(near).map(([key, value]) =>
    fc.tuple(fc.constant(key), fc.oneof({ weight: 5, arbitrary: value }, fc.constant(undefined))),
  ),
);
const nearPeer: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .tuple(validPeer, fc.option(swap, { freq: 2 }))
      .map(([peer, swapped]) => (swapped ? { ...peer, [swapped[0]]: swapped[1] } : peer)),
  },
  fc.constantFrom<unknown>(null, [], 'peer', 7),
);
/** Mostly absent (undefined is dropped by the JSON round trip). */
const rarely = <T>(value: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, value);
const nearJoin = fc
  .record({
    type: fc.constantFrom('join_party', 'join_party', 'join_party', 'join_party', 'Join_party'),
    party_id: fc.oneof({ weight: 5, arbitrary: validPeer.map((p) => p.peer_id) }, id),
    peer: nearPeer,
    password: rarely(fc.constantFrom('hunter22', '')),
    invite: rarely(fc.constantFrom('a'.repeat(22), 'bad')),
    resume: rarely(fc.constantFrom<unknown>(true, false, 'yes')),
    request_id: fc.oneof(
      { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 64 }) },
      fc.constantFrom('', 'r'.repeat(65), undefined),
      fc.integer(),
    ),
  })
  .map((v) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>);

/** A peer dict as the app sends it in a join. */
const appPeer = peerDict('peer1');

describe('plainJoin', () => {
  it('accepts only what JoinPartySchema accepts, with the same output', () => {
    agreesWithZod(nearJoin, plainJoin);
  });

  it('takes the plain join an app sends: party id folded, name normalized, last_seen read', () => {
    const peer = { ...appPeer, name: '  Ｐlayer \t One ', local_port: 0, extra: true };
    const join = plainJoin({ type: 'join_party', party_id: 'Party_ABC', peer, request_id: 'r1' });
    expect(join).toStrictEqual({
      type: 'join_party',
      party_id: 'party_abc',
      peer: {
        ...appPeer,
        name: 'Player One',
        local_port: 0,
        last_seen: new Date('2026-01-29T12:05:00Z'),
      },
      request_id: 'r1',
    });
  });

  it('leaves joins with a password, an invite, resume or an IPv6 address to zod, which decides', () => {
    const v4 = { type: 'join_party', party_id: 'party_1', peer: appPeer };
    const v6 = { ...v4, peer: { ...appPeer, public_ip: '2001:db8::1' } };
    const left = [
      v6,
      { ...v4, password: 'hunter22' },
      { ...v4, invite: 'a'.repeat(22) },
      { ...v4, resume: true },
    ];
    for (const message of left) {
      expect(plainJoin(message)).toBeUndefined();
      expect(parseClientMessage(message).success).toBe(true);
    }
    expect(plainJoin(v4)).toBeDefined();
    for (const wrong of [
      { ...v4, peer: { ...appPeer, name: ' ' } },
      { ...v4, peer: { ...appPeer, local_port: 65536 } },
      { ...v4, peer: { ...appPeer, last_seen: 'yesterday' } },
    ]) {
      expect(plainJoin(wrong)).toBeUndefined();
      expect(parseClientMessage(wrong).success).toBe(false);
    }
  });
});
