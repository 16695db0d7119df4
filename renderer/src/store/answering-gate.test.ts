import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../../shared/ipc/contract';
import { fakeApi, makeParty } from '../test-util/fixtures';
import { NOT_SENT_WHILE_FROZEN, whileAnswering } from './answering-gate';
import { createAppStore } from './app-store';

describe('whileAnswering', () => {
  it('passes every channel through, request and answer, while the app answers', async () => {
    const { api, calls } = fakeApi({ ping: () => ({ ok: true, value: null }) });
    const gated = whileAnswering(api, () => true);
    for (const channel of IPC_CHANNELS) expect(typeof gated[channel]).toBe('function');
    await expect(gated.ping({})).resolves.toEqual({ ok: true, value: null });
    await gated.leaveParty({ end_for_everyone: true });
    expect(calls).toEqual([
      { channel: 'ping', request: {} },
      { channel: 'leaveParty', request: { end_for_everyone: true } },
    ]);
  });

  it('refuses at once, without sending, while the app does not answer', async () => {
    const { api, calls } = fakeApi();
    let answering = false;
    const gated = whileAnswering(api, () => answering);
    await expect(gated.leaveParty({})).resolves.toEqual({
      ok: false,
      error: { code: 'unreachable', message: NOT_SENT_WHILE_FROZEN },
    });
    expect(calls).toHaveLength(0);
    answering = true;
    await gated.leaveParty({});
    expect(calls).toEqual([{ channel: 'leaveParty', request: {} }]);
  });

  it('keeps pushed state events flowing either way', () => {
    const { api, emit } = fakeApi();
    const gated = whileAnswering(api, () => false);
    const seen: string[] = [];
    const stop = gated.onStateEvent((event) => seen.push(event.type));
    emit({ type: 'party', party: null });
    stop();
    emit({ type: 'party', party: null });
    expect(seen).toEqual(['party']);
  });
});

describe('the store while the app does not answer', () => {
  it("says the click was not sent, in the action's own error, and sends the next one", async () => {
    const party = makeParty('alice');
    const { api, calls } = fakeApi({ createParty: () => ({ ok: true, value: party }) });
    const store = createAppStore(api);
    store.getState().setAppAnswering(false);
    await expect(store.getState().createParty({ name: 'Gaming Night' })).resolves.toBe(false);
    await expect(store.getState().leaveParty()).resolves.toBe(false);
    expect(calls).toHaveLength(0);
    expect(store.getState().errors.create).toBe(NOT_SENT_WHILE_FROZEN);
    expect(store.getState().errors.leave).toBe(NOT_SENT_WHILE_FROZEN);
    expect(store.getState().busy.create).toBe(false);

    store.getState().setAppAnswering(true);
    await expect(store.getState().createParty({ name: 'Gaming Night' })).resolves.toBe(true);
    expect(calls).toEqual([{ channel: 'createParty', request: { name: 'Gaming Night' } }]);
    expect(store.getState().party).toEqual(party);
    expect(store.getState().errors.create).toBeUndefined();
  });

  it('refuses the actions outside act too: answering a join request, browsing', async () => {
    const { api, calls } = fakeApi();
    const store = createAppStore(api);
    store.getState().setAppAnswering(false);
    await expect(store.getState().answerJoin('bob', true)).resolves.toEqual({
      ok: false,
      error: { code: 'unreachable', message: NOT_SENT_WHILE_FROZEN },
    });
    await store.getState().browse('');
    expect(store.getState().browsing.error).toBe(NOT_SENT_WHILE_FROZEN);
    expect(calls).toHaveLength(0);
  });
});
