import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientMessageSchema } from '../../shared/client-messages';
import { parseClientMessage, plainHeartbeat, plainLeave } from './parse-message';

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
