/**
 * The coordinator ↔ load-worker IPC contract. Each command gets exactly one reply with the
 * same `seq`; both directions are validated, so a confused worker fails loudly.
 */
import { z } from 'zod';

export const PartyPlanSchema = z.object({
  party_id: z.string(),
  size: z.number().int().min(1).max(256),
});
export type PartyPlan = z.infer<typeof PartyPlanSchema>;

export const WorkerCommandSchema = z.discriminatedUnion('cmd', [
  z.object({
    cmd: z.literal('init'),
    url: z.string().startsWith('ws://127.0.0.1:'),
    /** Several servers sharing one Redis: a party's members alternate between them. */
    urls: z.array(z.string().startsWith('ws://127.0.0.1:')).min(1).max(8).optional(),
    worker: z.number().int().min(0),
    parties: z.array(PartyPlanSchema),
    /** The worker exits by itself after this long, whatever happens. */
    lifetime_ms: z.number().int().positive(),
  }),
  z.object({ cmd: z.literal('connect'), concurrency: z.number().int().positive() }),
  z.object({ cmd: z.literal('form'), concurrency: z.number().int().positive() }),
  z.object({
    cmd: z.literal('churn'),
    /** Parties churning at once (one leave+join cycle in flight each). */
    lanes: z.number().int().positive(),
    max_cycles: z.number().int().positive(),
    duration_ms: z.number().int().positive(),
  }),
  z.object({
    cmd: z.literal('heartbeat_hold'),
    interval_ms: z.number().int().positive(),
    duration_ms: z.number().int().positive(),
  }),
  /** One untimed beat per socket, then until no peer_status arrived for a while. */
  z.object({ cmd: z.literal('heartbeat_settle') }),
  z.object({
    cmd: z.literal('heartbeat_burst'),
    duration_ms: z.number().int().positive(),
  }),
  z.object({ cmd: z.literal('close') }),
]);
export type WorkerCommand = z.infer<typeof WorkerCommandSchema>;
export const WorkerRequestSchema = z.object({
  seq: z.number().int(),
  command: WorkerCommandSchema,
});
export type WorkerRequest = z.infer<typeof WorkerRequestSchema>;

export const ConnectResultSchema = z.object({
  connected: z.number().int(),
  failed: z.number().int(),
  elapsed_ms: z.number(),
  heartbeat_interval_s: z.number().nullable(),
  first_error: z.string().nullable(),
});
export const FormResultSchema = z.object({
  joined: z.number().int(),
  failed: z.number().int(),
  elapsed_ms: z.number(),
  first_error: z.string().nullable(),
});
export const ChurnResultSchema = z.object({
  cycles: z.number().int(),
  failed: z.number().int(),
  /** join sent → every other member has peer_joined, ms. */
  join_latencies_ms: z.array(z.number()),
  /** peer_joined + peer_left events received by members during the window. */
  deliveries: z.number().int(),
  elapsed_ms: z.number(),
  first_error: z.string().nullable(),
  /** [party, members out (acknowledged leave), members uncertain (no answer)], after the phase. */
  absent: z.array(z.tuple([z.string(), z.number().int(), z.number().int()])),
});
export const HeartbeatResultSchema = z.object({
  sent: z.number().int(),
  acked: z.number().int(),
  failed: z.number().int(),
  rtt_ms: z.array(z.number()),
  elapsed_ms: z.number(),
  /** Sockets of this worker still open at the end. */
  open_sockets: z.number().int(),
  /** peer_status frames this worker's members received during the phase. */
  presence_pushes: z.number().int(),
  first_error: z.string().nullable(),
});
export const SettleResultSchema = z.object({
  elapsed_ms: z.number(),
  /** peer_status frames this worker's members received while settling. */
  presence_pushes: z.number().int(),
  first_error: z.string().nullable(),
});
export type ConnectResult = z.infer<typeof ConnectResultSchema>;
export type FormResult = z.infer<typeof FormResultSchema>;
export type ChurnResult = z.infer<typeof ChurnResultSchema>;
export type HeartbeatResult = z.infer<typeof HeartbeatResultSchema>;
export type SettleResult = z.infer<typeof SettleResultSchema>;

export const WorkerReplySchema = z.object({
  seq: z.number().int(),
  ok: z.boolean(),
  error: z.string().optional(),
  value: z.unknown().optional(),
});
export type WorkerReply = z.infer<typeof WorkerReplySchema>;
