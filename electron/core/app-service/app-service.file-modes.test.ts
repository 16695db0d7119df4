/**
 * What another user of the PC can read of the LANrage home: nothing. Through the production
 * factory, a home an older version left 0755 becomes 0700 with the instance's folders, and
 * the state files the app writes (settings, parties, nearby parties, its hosting id) are 0600.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDefaultAppService } from './factory';
import type { AppService } from './types';
import { dispatch } from './ipc-registry';
import { makeTempDir } from '../test-util/temp-dir';
import { silentLogger } from '../../../shared/logger';

let temp: ReturnType<typeof makeTempDir>;
let service: AppService | null = null;
const modeOf = (path: string) => statSync(path).mode & 0o777;

beforeEach(() => {
  temp = makeTempDir('lanrage-modes-');
});
afterEach(async () => {
  await service?.close();
  service = null;
  temp.cleanup();
});

describe.runIf(process.platform !== 'win32')('the LANrage home’s modes', () => {
  it('an old 0755 home is made 0700 at start, and every state file is written 0600', async () => {
    const home = join(temp.dir, 'home');
    const instance = join(home, 'instances', 'two');
    mkdirSync(instance, { recursive: true });
    for (const dir of [home, join(home, 'instances'), instance]) chmodSync(dir, 0o755);
    service = await createDefaultAppService({
      home,
      env: {
        LANRAGE_PEER_NAME: 'Alice',
        LANRAGE_INSTANCE: 'two',
        LANRAGE_LAN_DISCOVERY: 'off',
        LANRAGE_LAN_LISTEN: '0',
      },
      logger: silentLogger,
    });
    for (const dir of [home, join(home, 'instances'), instance]) expect(modeOf(dir)).toBe(0o700);
    const s = service;
    const call = (channel: string, request: unknown) =>
      dispatch(s.handlers, channel, request, silentLogger);
    expect(await call('saveSettings', { peer_name: 'Alice', control_server: null })).toMatchObject({
      ok: true,
    });
    expect(await call('createParty', { name: 'Modes' })).toMatchObject({ ok: true });
    const files = [
      join(home, 'config.json'),
      join(home, 'discovery.json'),
      join(instance, 'control_state.json'),
      join(instance, 'instance_id.json'),
    ];
    // discovery.json is written a moment after the party starts.
    await vi.waitFor(() => {
      for (const file of files) expect(modeOf(file)).toBe(0o600);
    });
  });
});
