/**
 * The app under soak, in a process of its own so that only its heap is read: the real app
 * core (createDefaultAppService, its config and state in LANRAGE_HOME) driven through the
 * same IPC handlers as the UI, with one state listener that serializes every event as the
 * headless bridge does. Run as `node --expose-gc --import tsx instance.ts`; stdin takes one
 * JSON command per line (instance-protocol.ts), each answered on stdout with its id.
 */
import v8 from 'node:v8';
import { createInterface } from 'node:readline';
import { createDefaultAppService } from '../../../electron/core/app-service/factory';
import { dispatch } from '../../../electron/core/app-service/ipc-registry';
import type { AppService } from '../../../electron/core/app-service/types';
import { retainedHeap } from '../heap';
import { appSizes } from './app-sizes';
import { appEntryCosts } from './by-design';
import { CommandSchema, matches, type Command, type Until } from './instance-protocol';
import { silentLogger } from '../../../shared/logger';

const send = (message: unknown): void => void process.stdout.write(`${JSON.stringify(message)}\n`);

/** What the UI side did: events and notifications received, bytes they serialized to. */
const seen = { events: 0, eventBytes: 0, notifications: 0, connects: 0 };

/** Waits, bounded, until the app's state matches; rejects with what it last saw. */
function waitUntil(service: AppService, until: Until, timeoutMs: number): Promise<null> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      if (!matches(service.snapshot(), until, seen.connects)) return false;
      stop();
      resolve(null);
      return true;
    };
    const timer = setTimeout(() => {
      stop();
      const { party, status, join_requests } = service.snapshot();
      const now = { status: status.state, members: Object.keys(party?.peers ?? {}), join_requests };
      reject(new Error(`not within ${timeoutMs} ms: ${JSON.stringify({ until, now })}`));
    }, timeoutMs);
    const unsubscribe = service.onStateEvent(() => void check());
    const stop = (): void => {
      clearTimeout(timer);
      unsubscribe();
    };
    check();
  });
}

async function run(service: AppService, cmd: Command): Promise<unknown> {
  switch (cmd.op) {
    case 'call': {
      const result = await dispatch(service.handlers, cmd.channel, cmd.request, silentLogger);
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return result.value;
    }
    case 'wait':
      return waitUntil(service, cmd.until, cmd.timeout_ms);
    case 'checkpoint': {
      const heap = await retainedHeap();
      if (cmd.snapshot) v8.writeHeapSnapshot(cmd.snapshot);
      return { heap, sizes: await appSizes(service, seen) };
    }
    case 'costs':
      return appEntryCosts();
    case 'quit':
      await service.close();
      return null;
  }
}

/** A line that is not JSON is refused like any other bad command, not the end of the app. */
function readJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const home = process.env.LANRAGE_HOME;
  if (!home) throw new Error('LANRAGE_HOME must be set');
  const service = await createDefaultAppService({ home, env: process.env, logger: silentLogger });
  let connected = service.snapshot().status.state === 'connected';
  if (connected) seen.connects = 1;
  service.onStateEvent((event) => {
    seen.events++;
    seen.eventBytes += JSON.stringify(event).length;
    // Counted before any wait's listener runs: it was subscribed first.
    const now = service.snapshot().status.state === 'connected';
    if (now && !connected) seen.connects++;
    connected = now;
  });
  service.onNotification(() => void seen.notifications++);
  send({ ready: true, peer_id: service.snapshot().me.peer_id });
  for await (const line of createInterface({ input: process.stdin })) {
    const parsed = CommandSchema.safeParse(readJson(line));
    if (!parsed.success) {
      send({ id: null, ok: false, error: parsed.error.message });
      continue;
    }
    const cmd = parsed.data;
    // Not awaited: a wait must not hold back the commands after it.
    void run(service, cmd).then(
      (result) => send({ id: cmd.id, ok: true, result: result ?? null }),
      (error: unknown) => send({ id: cmd.id, ok: false, error: String(error) }),
    );
    if (cmd.op === 'quit') break;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
