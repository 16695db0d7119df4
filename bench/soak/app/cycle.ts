/**
 * One cycle of the app soak, around the app hosting its party (on a control server, or on
 * the server it embeds in local mode): two friends drop in (join, heartbeat, rename, signal
 * the app), one leaves and the app kicks the other (banning and unbanning every 4th); one
 * vanishes without leaving; the app makes, lists and revokes an invite. Every 5th cycle
 * someone asks to join while the party is on approval and the app lets them in or not; every
 * 25th the app's connection is lost (the relay cuts it, or closes it as a restarting server
 * does) and the app reconnects; every 20th the app leaves, visits another party (remote mode)
 * and hosts a new one. Every cycle's step fails on its own, tallied. Every peer id is new.
 */
import type { FrameRelay } from '../../../electron/core/test-util/frame-relay';
import type { PeerClient } from '../../load/peer-client';
import { attempt, helloFrom, peerDict, type HubParty, type Tally } from '../clients';
import { addressOf } from '../cycle';
import type { AppProcess } from './driver';

export interface AppCycleContext {
  /** Where the app's friends connect to join its party (the server, or the app's own). */
  url: string;
  locate(partyId: string): Promise<string>;
  app: AppProcess;
  /** Between the app and the server (remote mode; null in local mode). */
  relay: FrameRelay | null;
  /** Someone else's party the app visits (remote mode). */
  hub: HubParty | null;
  tally: Tally;
  /** The app's party now, and how many connections it has made. */
  partyId: string;
  /** The app's status while all is well ('connected'; 'local' in local mode). */
  status: string;
  connects: number;
  /** false: the friend the app would kick leaves by itself (no notice kept: an A/B knob). */
  kicks: boolean;
  /** The first app step that failed, and why (for the report). */
  firstFailure: string | null;
}

/** An app step, tallied `step:ok` or `step:failed` (with the first failure's reason kept). */
export async function appStep(
  ctx: AppCycleContext,
  step: string,
  run: () => Promise<unknown>,
): Promise<unknown> {
  try {
    const result = await run();
    ctx.tally.add(`${step}:ok`);
    return result;
  } catch (error) {
    ctx.tally.add(`${step}:failed`);
    ctx.firstFailure ??= `${step}: ${error instanceof Error ? error.message : String(error)}`;
    return null;
  }
}

type Step = (ctx: AppCycleContext, c: number) => Promise<void>;

/** Runs the cycle's steps one after the other; one that throws is tallied `step:failed`. */
export async function runAppCycle(ctx: AppCycleContext, c: number): Promise<void> {
  const steps: Step[] = [dropIns, vanisher, invites];
  if (c % 5 === 2) steps.push(approval);
  if (c % 25 === 12 && ctx.relay) steps.push(reconnect);
  if (c % 20 === 7) steps.push(visit);
  for (const step of steps) await appStep(ctx, step.name, () => step(ctx, c));
}

async function joined(ctx: AppCycleContext, c: number, peerId: string): Promise<PeerClient> {
  const client = await helloFrom(ctx.url, addressOf(c), peerId);
  const join = { type: 'join_party', party_id: ctx.partyId, peer: peerDict(peerId, c) };
  await attempt(ctx.tally, 'friend_join', client, join);
  return client;
}

async function dropIns(ctx: AppCycleContext, c: number): Promise<void> {
  const { app, tally } = ctx;
  const party_id = ctx.partyId;
  const ids = [`drop-${c}-a`, `drop-${c}-b`];
  const [a, b] = await Promise.all(ids.map((id) => joined(ctx, c, id)));
  try {
    for (const [client, peer_id] of [
      [a!, ids[0]!],
      [b!, ids[1]!],
    ] as const) {
      await attempt(tally, 'friend_beat', client, { type: 'heartbeat', party_id, peer_id });
      const renamed = { ...peerDict(peer_id, c), name: `Renamed ${c}` };
      await attempt(tally, 'friend_update', client, {
        type: 'update_peer',
        party_id,
        peer: renamed,
      });
      const signal = {
        party_id,
        from_peer_id: peer_id,
        to_peer_id: app.peerId,
        signal_data: { c },
      };
      await attempt(tally, 'friend_signal', client, { type: 'signal', ...signal });
    }
    await appStep(ctx, 'app_sees_joins', () => app.wait({ members: ids }));
    await attempt(tally, 'friend_leave', a!, { type: 'leave_party', party_id, peer_id: ids[0] });
    if (ctx.kicks) await kick(ctx, c, ids[1]!);
    else
      await attempt(tally, 'friend_leave', b!, { type: 'leave_party', party_id, peer_id: ids[1] });
    await appStep(ctx, 'app_sees_leaves', () => app.wait({ absent: ids }));
  } finally {
    a!.close();
    b!.close();
  }
}

/** The app kicks a friend (banning, then unbanning, every 4th): a removal notice is kept. */
async function kick(ctx: AppCycleContext, c: number, peer_id: string): Promise<void> {
  const { app } = ctx;
  const ban = c % 4 === 0;
  await appStep(ctx, 'app_kick', () => app.call('kickPeer', { peer_id, ban }));
  if (ban) await appStep(ctx, 'app_unban', () => app.call('unbanPeer', { peer_id }));
}

/** Joins, beats once, and its socket is cut: away, then gone, in the app's list. */
async function vanisher(ctx: AppCycleContext, c: number): Promise<void> {
  const peer_id = `gone-${c}`;
  const client = await joined(ctx, c, peer_id);
  const beat = { type: 'heartbeat', party_id: ctx.partyId, peer_id };
  await attempt(ctx.tally, 'friend_beat', client, beat);
  client.close();
}

async function invites(ctx: AppCycleContext): Promise<void> {
  const { app } = ctx;
  const made = (await appStep(ctx, 'app_invite', () =>
    app.call('createInvite', { max_uses: 2 }),
  )) as { invite_id?: string } | null;
  await appStep(ctx, 'app_list_invites', () => app.call('listInvites'));
  if (made?.invite_id) {
    const revoke = () => app.call('revokeInvite', { invite_id: made.invite_id });
    await appStep(ctx, 'app_revoke_invite', revoke);
  }
}

/** The party on approval; someone asks; the app answers (yes every other time); open again. */
async function approval(ctx: AppCycleContext, c: number): Promise<void> {
  const { app, tally } = ctx;
  const party_id = ctx.partyId;
  const setPolicy = (join_policy: string) => () =>
    app.call('updatePartySettings', { settings: { join_policy } });
  await appStep(ctx, 'app_approval_on', setPolicy('approval'));
  const peer_id = `ask-${c}`;
  const client = await helloFrom(ctx.url, addressOf(c), peer_id);
  try {
    const join = { type: 'join_party', party_id, peer: peerDict(peer_id, c) };
    await attempt(tally, 'ask_join', client, join);
    await appStep(ctx, 'app_sees_request', () => app.wait({ requests: [peer_id] }));
    const accept = c % 10 === 2;
    await appStep(ctx, 'app_answer', () => app.call('answerJoin', { peer_id, accept }));
    if (accept) {
      await appStep(ctx, 'app_sees_admitted', () => app.wait({ members: [peer_id] }));
      await attempt(tally, 'ask_leave', client, { type: 'leave_party', party_id, peer_id });
    }
  } finally {
    client.close();
    await appStep(ctx, 'app_approval_off', setPolicy('open'));
  }
}

/** The connection lost: cut (the app waits its reconnect delay) or a restart notice (1012). */
async function reconnect(ctx: AppCycleContext, c: number): Promise<void> {
  if (c % 50 === 12) ctx.relay?.cutAll();
  else ctx.relay?.closeAll(1012);
  ctx.connects++;
  const back = { status: 'connected', connects: ctx.connects, party: ctx.partyId };
  await appStep(ctx, 'app_reconnects', () => ctx.app.wait(back, 30_000));
}

/** The same length for every cycle: the state file's size must not drift with the digits. */
export const partyName = (c: number): string => `Soak ${String(c).padStart(6, '0')}`;

/** Leaves its party, visits the hub's (remote mode), leaves it, and hosts a new one. */
async function visit(ctx: AppCycleContext, c: number): Promise<void> {
  const { app, hub } = ctx;
  await appStep(ctx, 'app_leave', () => app.call('leaveParty', {}));
  await appStep(ctx, 'app_dismiss', () => app.call('dismissEnded'));
  if (hub) {
    await appStep(ctx, 'app_visit', () => app.call('joinParty', { invite: hub.partyId }));
    const there = { party: hub.partyId, members: [hub.hostId, app.peerId] };
    await appStep(ctx, 'app_sees_hub', () => app.wait(there));
    await appStep(ctx, 'app_leave_visit', () => app.call('leaveParty', {}));
  }
  const made = (await appStep(ctx, 'app_host', () =>
    app.call('createParty', { name: partyName(c) }),
  )) as { party_id?: string } | null;
  if (!made?.party_id) return;
  ctx.partyId = made.party_id;
  ctx.url = await ctx.locate(made.party_id);
}
