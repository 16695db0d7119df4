/**
 * Two control servers on one Redis (issue 12), as gamers see them: Alice on one server, Bob
 * on the other with both addresses in his settings, one party. The server Bob uses dies
 * (SIGKILL): his app moves to the other address with the same session and both still see
 * both, in the UI.
 */
import type { Page } from '@playwright/test';
import { RedisTestServer } from '../server/test-util/redis-server';
import { startControlServer, startHeadless } from './fixtures/processes';
import { expect, snap, test, type Fixtures } from './fixtures/test';
import { createParty, expectPeers, joinById } from './fixtures/ui';

async function instance(
  { cleanup, openUi }: Fixtures,
  peerName: string,
  controlServer: string,
): Promise<Page> {
  const headless = await startHeadless({
    home: cleanup.tempDir(peerName),
    peerName,
    controlServer,
  });
  cleanup.add(() => headless.process.kill());
  const page = await openUi(headless.url);
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-state', 'connected');
  return page;
}

test('a party across two servers on Redis survives the death of one, in the UI', async ({
  cleanup,
  openUi,
}) => {
  const redis = await RedisTestServer.start();
  cleanup.add(() => redis.cleanup());
  const servers = [];
  for (const name of ['one', 'two']) {
    const server = await startControlServer(cleanup.tempDir(`server-${name}`), 0, [
      '--redis',
      redis.url,
    ]);
    cleanup.add(() => server.process.kill());
    servers.push(server);
  }
  const [one, two] = servers as [(typeof servers)[0], (typeof servers)[0]];
  const alice = await instance({ cleanup, openUi }, 'Alice', one.url);
  const bob = await instance({ cleanup, openUi }, 'Bob', `${two.url}, ${one.url}`);
  await expect(bob.getByTestId('status-bar')).toContainText(`Connected to 127.0.0.1:${two.port}`);

  const partyId = await createParty(alice, 'Across Servers');
  await joinById(bob, partyId);
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');
  await expectPeers(bob, ['Alice', 'Bob'], 'Alice', 'Bob');
  await snap(bob, 'redis-two-servers');

  await two.process.kill('SIGKILL');
  await expect(bob.getByTestId('status-bar')).toContainText(`Connected to 127.0.0.1:${one.port}`);
  await expect(bob.getByTestId('status-bar')).toHaveAttribute('data-state', 'connected');
  await expectPeers(bob, ['Alice', 'Bob'], 'Alice', 'Bob');
  await expectPeers(alice, ['Alice', 'Bob'], 'Alice', 'Alice');
  await expect(bob.getByTestId('party-id')).toHaveText(partyId);
  await snap(bob, 'redis-after-failover');
});
