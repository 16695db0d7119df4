/**
 * The attacker process of bench:abuse (forked with an IPC channel): runs one attack at a
 * time on the parent's command. A process of its own, so its sockets and event loop are
 * not the measured client's.
 */
import { z } from 'zod';
import { ATTACKS, createAttack, type Attack } from './attacks';

const Command = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    name: z.enum(ATTACKS),
    url: z.string(),
    scale: z.record(z.string(), z.number()),
  }),
  z.object({ type: z.literal('stop') }),
]);

let attack: Attack | null = null;
const send = (message: unknown): void => void process.send?.(message);

process.on('message', (raw) => {
  const command = Command.parse(raw);
  if (command.type === 'start') {
    const scale = command.scale as Parameters<typeof createAttack>[2];
    attack = createAttack(command.name, command.url, scale);
    attack.start().then(
      () => send({ type: 'ready', report: attack!.report() }),
      (error: unknown) => send({ type: 'failed', error: String(error) }),
    );
    return;
  }
  const report = attack?.report() ?? null;
  attack?.stop();
  attack = null;
  send({ type: 'stopped', report });
});
process.on('disconnect', () => process.exit(0));
