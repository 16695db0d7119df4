/**
 * The heartbeat's answer, serialized without JSON.stringify: under a burst thousands of acks
 * share a millisecond, so the part before `seq` (type and `server_time`) is made once per
 * millisecond and each ack only appends its sequence number. The bytes are what
 * JSON.stringify of the ack object gives (the test compares them).
 */
import type { ServerMessageType } from '../../shared/protocol/protocol';

/** An answer already in JSON (with no `request_id` yet), and its type for the metrics. */
export class JsonAnswer {
  constructor(
    readonly type: ServerMessageType,
    readonly json: string,
  ) {}
}

let lastMs = Number.NaN;
let lastHead = '';

/** `heartbeat_ack` at `ms`; `seq` is the party's event sequence number when it has one. */
export function heartbeatAck(ms: number, seq: number | undefined): JsonAnswer {
  if (ms !== lastMs) {
    // An ISO string needs no escaping.
    lastHead = `{"type":"heartbeat_ack","server_time":"${new Date(ms).toISOString()}"`;
    lastMs = ms;
  }
  return new JsonAnswer(
    'heartbeat_ack',
    seq === undefined ? `${lastHead}}` : `${lastHead},"seq":${seq}}`,
  );
}
