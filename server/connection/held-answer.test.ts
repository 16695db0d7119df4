import { describe, expect, it } from 'vitest';
import { StoreConflict } from '../store/store';
import { HeldAnswer, type AnswerHolder } from './held-answer';
import type { Release } from './ordered-sends';

/** A holder and a release that record what happened, in order. */
function rig(closing = false) {
  const log: string[] = [];
  const holder: AnswerHolder = {
    isClosing: closing,
    storeFailed: (requestId) => log.push(`storeFailed ${requestId}`),
  };
  const release: Release = (send) => {
    log.push(send ? 'released with a send' : 'released empty');
    send?.();
  };
  const send = () => log.push('answer sent');
  const retry = () => log.push('retried');
  return { log, holder, release, send, retry };
}

describe('HeldAnswer', () => {
  it('sends the answer in its place once the change is durable', () => {
    const { log, holder, release, send } = rig();
    new HeldAnswer(holder, release, send, 'r1', undefined).onCommit();
    expect(log).toEqual(['released with a send', 'answer sent']);
  });

  it('tells the client the change was not stored when the batch failed', () => {
    const { log, holder, release, send, retry } = rig();
    new HeldAnswer(holder, release, send, 'r2', retry).onFail(new Error('disk full'));
    expect(log).toEqual(['released with a send', 'storeFailed r2']);
  });

  it('gives up its place and handles the request again once a conflict is read back', async () => {
    const { log, holder, release, send, retry } = rig();
    const conflict = new StoreConflict(['party_a'], []);
    let reloaded!: () => void;
    conflict.reloaded = new Promise((resolve) => (reloaded = resolve));
    new HeldAnswer(holder, release, send, 'r3', retry).onFail(conflict);
    expect(log).toEqual(['released empty']);
    reloaded();
    await conflict.reloaded;
    await Promise.resolve();
    expect(log).toEqual(['released empty', 'retried']);
  });

  it('does not handle the request again on a connection that is closing', async () => {
    const { log, holder, release, send, retry } = rig(true);
    const conflict = new StoreConflict(['party_a'], []);
    new HeldAnswer(holder, release, send, 'r4', retry).onFail(conflict);
    await conflict.reloaded;
    await Promise.resolve();
    expect(log).toEqual(['released empty']);
  });

  it('reports a conflict as a failure when the request cannot be retried', () => {
    const { log, holder, release, send } = rig();
    new HeldAnswer(holder, release, send, 'r5', undefined).onFail(
      new StoreConflict(['party_a'], []),
    );
    expect(log).toEqual(['released with a send', 'storeFailed r5']);
  });
});
