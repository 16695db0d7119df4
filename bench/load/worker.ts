/**
 * A load-generator child process (forked by the coordinator over IPC). It holds a share of
 * the simulated peers and runs each phase it is told to. It exits by itself when the
 * coordinator goes away or its lifetime is over, so it can never outlive a run.
 */
import { LoadWorker } from './phases';
import { WorkerRequestSchema, type WorkerCommand, type WorkerReply } from './messages';

let worker: LoadWorker | null = null;

function need(): LoadWorker {
  if (!worker) throw new Error('not initialised');
  return worker;
}

async function run(command: WorkerCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'init':
      worker = new LoadWorker(command.urls ?? [command.url], command.parties);
      setTimeout(() => process.exit(3), command.lifetime_ms).unref();
      return { peers: command.parties.reduce((sum, p) => sum + p.size, 0) };
    case 'connect':
      return need().connect(command.concurrency);
    case 'form':
      return need().form(command.concurrency);
    case 'churn':
      return need().churn(command.lanes, command.max_cycles, command.duration_ms);
    case 'heartbeat_hold':
      return need().heartbeatHold(command.interval_ms, command.duration_ms);
    case 'heartbeat_settle':
      return need().heartbeatSettle();
    case 'heartbeat_burst':
      return need().heartbeatBurst(command.duration_ms);
    case 'close':
      worker?.close();
      setTimeout(() => process.exit(0), 50);
      return {};
  }
}

function reply(message: WorkerReply): void {
  process.send?.(message);
}

process.on('message', (raw: unknown) => {
  const parsed = WorkerRequestSchema.safeParse(raw);
  if (!parsed.success) {
    reply({ seq: -1, ok: false, error: `bad command: ${parsed.error.message}` });
    return;
  }
  const { seq, command } = parsed.data;
  run(command).then(
    (value) => reply({ seq, ok: true, value }),
    (error: unknown) => reply({ seq, ok: false, error: String(error) }),
  );
});
// The coordinator is gone: nothing will ever tell this worker to stop, so stop now.
process.on('disconnect', () => process.exit(0));
