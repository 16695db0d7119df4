/**
 * One soak cycle: from one loopback address (127.0.0.2–250, turn about), a drop-in that
 * joins and leaves (or is kicked from) the open party, a peer that vanishes without leaving,
 * a party made, used and ended three ways, a join waiting for approval answered four ways,
 * a wrong password, and abuse: malformed, too deep, oversized and rate-limited frames, a
 * flood, a connection that never says hello, stray HTTP. Every peer id and party id is new;
 * none comes back, so whatever the server keeps for them must go by itself.
 */
import http from 'node:http';
import { MAX_FRAME_BYTES } from '../../shared/protocol/protocol';
import type { PeerClient } from '../load/peer-client';
import {
  attempt,
  attemptPaced,
  connectFrom,
  helloFrom,
  HUB_PASSWORD,
  identityHelloFrom,
  peerDict,
  type Hub,
  type Tally,
} from './clients';

export interface CycleContext {
  url: string;
  port: number;
  hub: Hub;
  tally: Tally;
}

type Step = (ctx: CycleContext, c: number, address: string) => Promise<void>;

/** 127.0.0.2 … 127.0.0.250. */
export function addressOf(cycle: number): string {
  return `127.0.0.${2 + (cycle % 249)}`;
}

export async function runCycle(ctx: CycleContext, c: number): Promise<void> {
  const address = addressOf(c);
  const steps: Step[] = [dropIn, vanisher, ephemeralParty, approvalJoin, wrongPassword, abuse];
  const failed = (step: Step) => () => ctx.tally.add(`${step.name}:failed`);
  await Promise.all(steps.map((step) => step(ctx, c, address).catch(failed(step))));
}

/** Joins the open party with a fresh id, uses it, then leaves (or is kicked, every 4th). */
async function dropIn(ctx: CycleContext, c: number, address: string): Promise<void> {
  const { tally, hub } = ctx;
  const peerId = `drop-${c}`;
  const party_id = hub.open.partyId;
  const client = await helloFrom(ctx.url, address, peerId);
  try {
    const peer = peerDict(peerId, c);
    await attempt(tally, 'drop_join', client, { type: 'join_party', party_id, peer });
    const beat = { type: 'heartbeat', party_id, peer_id: peerId, rtt_ms: 5 + (c % 40) };
    await attempt(tally, 'drop_beat', client, beat);
    const renamed = { ...peer, name: `Renamed ${c}` };
    await attempt(tally, 'drop_update', client, { type: 'update_peer', party_id, peer: renamed });
    const to_peer_id = hub.open.hostId;
    const signal = {
      type: 'signal',
      party_id,
      from_peer_id: peerId,
      to_peer_id,
      signal_data: { c },
    };
    await attempt(tally, 'drop_signal', client, signal);
    await attempt(tally, 'drop_get', client, { type: 'get_party', party_id });
    const leave = { type: 'leave_party', party_id, peer_id: peerId };
    if (c % 4 !== 1) await attempt(tally, 'drop_leave', client, leave);
    else await attemptPaced(tally, 'drop_kick', hub.open.host, { ...leave, type: 'kick_peer' });
  } finally {
    client.close();
  }
}

/** Joins the open party and beats once, then its socket is cut: offline, then swept. */
async function vanisher(ctx: CycleContext, c: number, address: string): Promise<void> {
  const peerId = `gone-${c}`;
  const party_id = ctx.hub.open.partyId;
  const client = await helloFrom(ctx.url, address, peerId);
  const peer = peerDict(peerId, c);
  await attempt(ctx.tally, 'vanish_join', client, { type: 'join_party', party_id, peer });
  await attempt(ctx.tally, 'vanish_beat', client, { type: 'heartbeat', party_id, peer_id: peerId });
  client.close();
}

/** An invite's token and id from `invite_created`, or null. */
async function invite(ctx: CycleContext, host: PeerClient, party_id: string, step: string) {
  const made = await attempt(ctx.tally, step, host, {
    type: 'create_invite',
    party_id,
    max_uses: 2,
  });
  return made ? { token: String(made.token), id: String(made.invite_id) } : null;
}

/**
 * A party on approval, its host and first guest proving identity keys: invites made (one
 * revoked), two guests in by invite, one waiting at the door, the first guest kicked
 * (banned, by key too, every other cycle); then ended by its host, left by it
 * (handed over every 5th), or abandoned to the sweep.
 */
async function ephemeralParty(ctx: CycleContext, c: number, address: string): Promise<void> {
  const { tally } = ctx;
  const party_id = `soak-e-${c}`;
  const hostId = `eh-${c}`;
  const host = await identityHelloFrom(ctx.url, address, hostId);
  const others: PeerClient[] = [];
  try {
    const settings = { join_policy: 'approval', host_migration: c % 5 === 0 };
    const register = { type: 'register_party', party_id, name: `Soak ${c}`, settings };
    await attempt(tally, 'eph_register', host, { ...register, host_peer: peerDict(hostId, c) });
    const kept = await invite(ctx, host, party_id, 'eph_invite');
    const revoked = await invite(ctx, host, party_id, 'eph_invite2');
    if (revoked) {
      const revoke = { type: 'revoke_invite', party_id, invite_id: revoked.id };
      await attempt(tally, 'eph_revoke', host, revoke);
    }
    await attempt(tally, 'eph_list', host, { type: 'list_invites', party_id });
    for (const role of ['eg1', 'eg2', 'ew']) {
      const peerId = `${role}-${c}`;
      const hello = role === 'eg1' ? identityHelloFrom : helloFrom;
      const guest = await hello(ctx.url, address, peerId);
      others.push(guest);
      const credentials = role === 'ew' || !kept ? {} : { invite: kept.token };
      const join = { type: 'join_party', party_id, peer: peerDict(peerId, c), ...credentials };
      await attempt(tally, `eph_join_${role}`, guest, join);
    }
    const kick = { type: 'kick_peer', party_id, peer_id: `eg1-${c}`, ban: c % 2 === 0 };
    await attempt(tally, 'eph_kick', host, kick);
    await endParty(ctx, c, host, others[1]!, party_id);
  } finally {
    for (const client of [host, ...others]) client.close();
  }
}

async function endParty(
  ctx: CycleContext,
  c: number,
  host: PeerClient,
  guest: PeerClient,
  party_id: string,
): Promise<void> {
  if (c % 3 === 2) return; // Everyone's socket is cut: the sweep ends the party.
  if (c % 3 === 0) {
    await attempt(ctx.tally, 'eph_close', host, { type: 'close_party', party_id });
    return;
  }
  const leave = { type: 'leave_party', party_id, peer_id: `eh-${c}` };
  await attempt(ctx.tally, 'eph_host_leave', host, leave);
  if (c % 5 === 0) {
    const guestLeave = { type: 'leave_party', party_id, peer_id: `eg2-${c}` };
    await attempt(ctx.tally, 'eph_heir_leave', guest, guestLeave);
  }
}

/** Asks to join the approval party: accepted (then leaves), rejected, cancelled, or gone. */
async function approvalJoin(ctx: CycleContext, c: number, address: string): Promise<void> {
  const { tally, hub } = ctx;
  const peerId = `ask-${c}`;
  const party_id = hub.approval.partyId;
  const client = await helloFrom(ctx.url, address, peerId);
  try {
    const join = { type: 'join_party', party_id, peer: peerDict(peerId, c) };
    const pending = await attempt(tally, 'ask_join', client, join);
    if (!pending) return;
    const answer = { type: 'answer_join', party_id, peer_id: peerId, accept: c % 4 === 0 };
    const leave = { type: 'leave_party', party_id, peer_id: peerId };
    if (c % 4 === 2) {
      await attempt(tally, 'ask_cancel', client, { ...leave, type: 'cancel_join' });
      return;
    }
    if (c % 4 === 3) client.close();
    await attemptPaced(tally, 'ask_answer', hub.approval.host, answer);
    if (c % 4 === 0) await attempt(tally, 'ask_leave', client, leave);
  } finally {
    client.close();
  }
}

/**
 * A wrong password on the password party; every 4th cycle also the right one, its socket
 * closed as soon as it is sent (the app quit while the password was being checked).
 */
async function wrongPassword(ctx: CycleContext, c: number, address: string): Promise<void> {
  const party_id = ctx.hub.password.partyId;
  const peerId = `guess-${c}`;
  const client = await helloFrom(ctx.url, address, peerId);
  const join = { type: 'join_party', party_id, peer: peerDict(peerId, c), password: `no-${c}` };
  await attempt(ctx.tally, 'wrong_password', client, join);
  client.close();
  if (c % 4 !== 2) return;
  const racer = await helloFrom(ctx.url, address, `quit-${c}`);
  const right = { ...join, peer: peerDict(`quit-${c}`, c), password: HUB_PASSWORD };
  void racer.request(right).catch(() => undefined);
  racer.close();
  ctx.tally.add('quit_while_checked:sent');
}

/** Frames no client should send, from a connection that never said hello. */
async function abuse(ctx: CycleContext, c: number, address: string): Promise<void> {
  const client = await connectFrom(ctx.url, address, `abuse-${c}`);
  try {
    client.sendRaw('not json {');
    client.sendRaw(Buffer.from([0xde, 0xad, 0xbe, 0xef]), true);
    client.sendRaw(`${'['.repeat(40)}${']'.repeat(40)}`);
    client.sendRaw(JSON.stringify({ type: `no_such_${c}`, request_id: `x${c}` }));
    client.sendRaw(JSON.stringify({ type: 'join_party', party_id: '!!', peer: {} }));
    const beat = JSON.stringify({ type: 'heartbeat', party_id: 'soak-open-party', peer_id: 'x' });
    const burst = c % 4 === 3 ? 400 : 60; // 400: flooding, cut; 60: some refused
    for (let i = 0; i < burst; i++) client.sendRaw(beat);
    if (c % 4 === 0) client.sendRaw('x'.repeat(MAX_FRAME_BYTES + 1));
    // Cut (flood, oversized frame) or refused (no hello, rate limited): either is expected.
    const answer = client.request({ type: 'get_party', party_id: 'soak-open-party' });
    ctx.tally.add(
      `abuse_get:${await answer.then(
        (m) => m.type,
        () => 'refused_or_cut',
      )}`,
    );
    if (c % 4 === 1) await connectFrom(ctx.url, address, `mute-${c}`); // Cut at hello timeout.
    if (c % 8 === 5) await strayHttp(ctx, address);
  } finally {
    client.close();
  }
}

/** A 404 and a metrics scrape. */
async function strayHttp(ctx: CycleContext, localAddress: string): Promise<void> {
  for (const path of ['/no-such-page', '/metrics']) {
    const status = await new Promise<number>((resolve) => {
      const options = { host: '127.0.0.1', port: ctx.port, path, localAddress };
      const req = http.get(options, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(-1));
    });
    ctx.tally.add(`http_${path.slice(1)}:${status}`);
  }
}
