import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServerMessageSchema } from '../../shared/protocol/protocol';
import { heartbeatAck } from './heartbeat-ack';

const ack = (ms: number, seq?: number) => ({
  type: 'heartbeat_ack',
  server_time: new Date(ms).toISOString(),
  ...(seq === undefined ? {} : { seq }),
});

describe('heartbeatAck', () => {
  it('is the JSON of the ack object for that millisecond, whichever was asked before', () => {
    const a = Date.UTC(2026, 11, 2, 0, 0, 0, 1);
    expect(heartbeatAck(a, undefined).json).toBe(
      '{"type":"heartbeat_ack","server_time":"2026-12-02T00:00:00.001Z"}',
    );
    expect(heartbeatAck(a, 7).json).toBe(
      '{"type":"heartbeat_ack","server_time":"2026-12-02T00:00:00.001Z","seq":7}',
    );
    expect(heartbeatAck(a + 1, undefined).json).toBe(
      '{"type":"heartbeat_ack","server_time":"2026-12-02T00:00:00.002Z"}',
    );
    expect(heartbeatAck(a, undefined).json).toContain('00:00:00.001Z');
  });

  it('gives the bytes JSON.stringify gives, and a valid server message', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Date.UTC(9999, 0) }),
        fc.option(fc.nat(), { nil: undefined }),
        (ms, seq) => {
          const answer = heartbeatAck(ms, seq);
          expect(answer.type).toBe('heartbeat_ack');
          expect(answer.json).toBe(JSON.stringify(ack(ms, seq)));
          expect(ServerMessageSchema.safeParse(JSON.parse(answer.json)).success).toBe(true);
        },
      ),
    );
  });
});
