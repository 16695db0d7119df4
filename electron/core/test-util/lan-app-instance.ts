/**
 * One LANrage app on a LAN, for the network-namespace suite: run inside a namespace
 * (`ip netns exec NS node --import tsx lan-app-instance.ts`). It is the real app core
 * (createDefaultAppService: config in its own LANRAGE_HOME, LAN discovery on every
 * interface of the namespace, local mode or LANRAGE_CONTROL_SERVER), driven through the
 * same IPC handlers as the UI. It reports `{"event":"state"}` lines (Parties nearby, my
 * party's members, connection state) on stdout; stdin takes one JSON command per line
 * (`host`, `join` by an ID or a link, each with an optional password, `leave`, `quit`), each
 * answered with
 * `{"id",...}`.
 */
import { createInterface } from 'node:readline';
import { createDefaultAppService } from '../app-service/factory';
import type { AppService } from '../app-service/types';
import { dispatch } from '../app-service/ipc-registry';
import type { AppState } from '../../../shared/ipc/app-state';
import { statusText, type PartyStanding } from '../../../shared/status-words';
import { consoleLogger } from '../logger';

type Command =
  | { id: number; op: 'host'; name: string; password?: string }
  | { id: number; op: 'join'; partyId: string; password?: string }
  | { id: number; op: 'leave' }
  | { id: number; op: 'settings'; control_server: string }
  | { id: number; op: 'policy'; join_policy: 'open' | 'password' | 'approval' | 'invite_only' }
  | { id: number; op: 'quit' };

const send = (message: unknown): void => void process.stdout.write(`${JSON.stringify(message)}\n`);

/** Where the app stands with a party, as its status bar reads it from the same state. */
function standingOf(state: AppState): PartyStanding {
  if (state.party !== null) return 'member';
  return state.pending_join !== null ? 'waiting' : 'none';
}

function report(service: AppService): void {
  const state = service.snapshot();
  send({
    event: 'state',
    nearby: state.discovered,
    peers: state.party
      ? Object.values(state.party.peers)
          .map((p) => p.name)
          .sort()
      : null,
    party_id: state.party?.party_id ?? null,
    status: state.status.state,
    words: statusText(state.status, standingOf(state)),
    plain_link: state.status.plainLink === true,
    lan_blocked: state.status.lanBlocked === true,
    host_pin: state.status.hostPin ?? null,
    host_at: state.status.hostAt ?? null,
    ended: state.ended?.reason ?? null,
  });
}

async function run(service: AppService, cmd: Command): Promise<unknown> {
  const call = async (channel: string, request: unknown): Promise<unknown> => {
    const result = await dispatch(service.handlers, channel, request, consoleLogger);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value;
  };
  switch (cmd.op) {
    case 'host': {
      const { password } = cmd;
      const settings = password ? { settings: { join_policy: 'password', password } } : {};
      const party = await call('createParty', { name: cmd.name, ...settings });
      return (party as { party_id: string }).party_id;
    }
    case 'join':
      await call('joinParty', { invite: cmd.partyId, password: cmd.password });
      return null;
    case 'leave':
      return call('leaveParty', {});
    case 'settings': {
      const { peer_name } = service.snapshot().settings;
      return call('saveSettings', { peer_name, control_server: cmd.control_server });
    }
    case 'policy':
      // The host's Party settings; the password a password party had is kept by the server.
      return call('updatePartySettings', { settings: { join_policy: cmd.join_policy } });
    case 'quit':
      await service.close();
      return null;
  }
}

async function main(): Promise<void> {
  // The driver makes the home and removes it when this process ends, however it ends.
  const home = process.env.LANRAGE_HOME;
  if (!home) throw new Error('LANRAGE_HOME must name the app home');
  const service = await createDefaultAppService({
    home,
    env: { ...process.env, LANRAGE_HOME: home },
    // A link the network dropped found lost in 6 s, not 25, for tests that cut a cable.
    ...(process.argv.includes('--quick-liveness')
      ? { liveness: { quietMs: 2000, deadMs: 6000 } }
      : {}),
    // The app's log (LAN discovery's among it) on stderr, for tests that read it (LanApp.logged).
    logger: consoleLogger,
  });
  service.onStateEvent(() => report(service));
  send({ ready: true });
  report(service);
  for await (const line of createInterface({ input: process.stdin })) {
    const cmd = JSON.parse(line) as Command;
    await run(service, cmd).then(
      (result) => send({ id: cmd.id, ok: true, result: result ?? null }),
      (error: unknown) => send({ id: cmd.id, ok: false, error: String(error) }),
    );
    if (cmd.op === 'quit') process.exit(0);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
