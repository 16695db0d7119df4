import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test-util/temp-dir';
import { SavedSession } from './session';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => (temp = makeTempDir('lanrage-session-')));
afterEach(() => temp.cleanup());

const URL = 'ws://127.0.0.1:8765/ws';
const FILE = 'test_session.json';
const saved = () => JSON.parse(readFileSync(join(temp.dir, FILE), 'utf8')) as unknown;

describe('SavedSession', () => {
  it('keeps the token a welcome gave, on disk, and reads it back', async () => {
    const session = new SavedSession(temp.dir, URL, () => {}, FILE);
    await session.adopt('token-a-0123456789');
    expect(saved()).toEqual({ server_url: URL, session_token: 'token-a-0123456789' });
    const again = new SavedSession(temp.dir, URL, () => {}, FILE);
    await again.load();
    expect(again.token).toBe('token-a-0123456789');
  });

  it('closing waits for the write in flight, and nothing is written after it', async () => {
    const session = new SavedSession(temp.dir, URL, () => {}, FILE);
    const adopting = session.adopt('token-a-0123456789');
    await session.close();
    // The write begun before the close is done when close resolves.
    expect(saved()).toEqual({ server_url: URL, session_token: 'token-a-0123456789' });
    await adopting;
    // A welcome answered as the app closed: kept in memory, not written.
    await session.adopt('token-b-0123456789');
    expect(session.token).toBe('token-b-0123456789');
    expect(saved()).toEqual({ server_url: URL, session_token: 'token-a-0123456789' });
  });

  it('a session closed before any welcome writes no file at all', async () => {
    const session = new SavedSession(temp.dir, URL, () => {}, FILE);
    await session.close();
    await session.adopt('token-a-0123456789');
    expect(existsSync(join(temp.dir, FILE))).toBe(false);
  });
});
