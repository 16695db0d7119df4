/** What changed while the app was closed, said once it is started again. */
import { describe, expect, it } from 'vitest';
import { accessAppRig } from '../test-util/access-app-rig';
import { appValue as value, until } from '../test-util/app-calls';

const { instance, hostAndGuest } = accessAppRig();

describe('what changed while the app was closed', () => {
  it('made host meanwhile: the restarted app says so in the party’s activity', async () => {
    const { host, guest: bob, seed } = await hostAndGuest('Alice', 'Bob', 'Den');
    await bob.close();
    await value(host, 'transferHost', { peer_id: 'peer_bob' });
    const again = await instance('Bob', seed);
    await until(() => again.snapshot().party?.host_id === 'peer_bob');
    // It used to come back host with an empty list, nothing saying when or why.
    expect(again.snapshot().activity.map((a) => a.text)).toEqual([
      'You are now the host (changed while you were away)',
    ]);
  });
});
