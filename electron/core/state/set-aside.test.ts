import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import { makeTempDir } from '../test-util/temp-dir';
import { atomicWrite } from './atomic-write';
import {
  corruptPathFor,
  damageWords,
  moveAside,
  moveAsideSync,
  noFile,
  writeWords,
} from './set-aside';
import { parseBoard } from '../hosting/discovery-board';

const T = Date.UTC(2026, 0, 29, 12);
let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = makeTempDir()));
afterEach(() => cleanup());

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('damageWords', () => {
  it('says a file is not valid JSON without the parser position', () => {
    expect(damageWords(thrown(() => JSON.parse('{"parties": {')))).toBe(
      'it is damaged (not valid JSON)',
    );
  });

  it("never shows a schema's issue list (zod's message is a JSON array)", () => {
    const error = thrown(() => parseBoard([1]));
    expect((error as Error).message).toContain('"invalid_type"');
    expect(damageWords(error)).toBe('it does not hold what LANrage saves there');
    expect(damageWords(thrown(() => z.object({ a: z.string() }).parse({})))).toBe(
      'it does not hold what LANrage saves there',
    );
  });

  it('reads only a system error by its code, not one of ours that has a code too', () => {
    const ours = new ControlPlaneError('Invalid state file', { code: 'bad_request' });
    expect(damageWords(ours)).toBe('it does not hold what LANrage saves there');
  });

  it('says a folder is in the place of a file, and names other system codes', async () => {
    mkdirSync(join(dir, 'f.json'));
    const error = await readFile(join(dir, 'f.json'), 'utf8').catch((e: unknown) => e);
    expect(damageWords(error)).toBe('a folder is in its place');
    const other = Object.assign(new Error('x'), { errno: -122, code: 'EDQUOT' });
    expect(damageWords(other)).toBe('the system refused it (EDQUOT)');
  });
});

describe('noFile', () => {
  const reading = (path: string) => readFile(path, 'utf8').catch((e: unknown) => e);

  it('is a file not there yet, or one that cannot be there (a file in its folder’s place)', async () => {
    writeFileSync(join(dir, 'plain'), 'x');
    mkdirSync(join(dir, 'folder'));
    expect(noFile(await reading(join(dir, 'missing.json')))).toBe(true);
    expect(noFile(await reading(join(dir, 'plain', 'state.json')))).toBe(true);
    expect(noFile(await reading(join(dir, 'folder')))).toBe(false);
    expect(noFile(thrown(() => JSON.parse('{')))).toBe(false);
  });
});

describe('writeWords', () => {
  const writing = (path: string) => atomicWrite(path, '{}').catch((e: unknown) => e);

  it('names what is in the way, never the temporary file the write opened', async () => {
    writeFileSync(join(dir, 'file'), 'x');
    const underFile = await writing(join(dir, 'file', 'state.json'));
    expect((underFile as Error).message).toMatch(/\.tmp'$/);
    expect(writeWords(underFile)).toBe('a file is where its folder should be');
    mkdirSync(join(dir, 'state.json'));
    expect(writeWords(await writing(join(dir, 'state.json')))).toBe('a folder is in its place');
  });

  // Root, which runs CI, is allowed everything: these codes are given, not provoked.
  it('says what a refusal, a full or read-only disk means, and names other codes', () => {
    const system = (code: string) => Object.assign(new Error(`${code}: x`), { errno: -1, code });
    expect(writeWords(system('EACCES'))).toBe('LANrage is not allowed to write in its folder');
    expect(writeWords(system('ENOSPC'))).toBe('the disk is full');
    expect(writeWords(system('EROFS'))).toBe('its disk is read-only');
    expect(writeWords(system('EMFILE'))).toBe('the system refused (EMFILE)');
    expect(writeWords(new Error('our own words'))).toBe('our own words');
  });
});

describe('moveAside', () => {
  it('moves the file to its time-stamped name, content untouched', async () => {
    const path = join(dir, 'state.json');
    writeFileSync(path, 'garbage{');
    expect(await moveAside(path, T)).toEqual({ moved: true, aside: corruptPathFor(path, T) });
    expect(readdirSync(dir)).toEqual(['state.json.corrupt-2026-01-29T12-00-00-000Z']);
    expect(readFileSync(corruptPathFor(path, T), 'utf8')).toBe('garbage{');
  });

  it('reports a file gone meanwhile as gone (another instance moved it first)', async () => {
    const result = await moveAside(join(dir, 'missing.json'), T);
    expect(result).toMatchObject({ moved: false, gone: true });
  });

  it('says why a move failed instead of claiming the file was kept', () => {
    const path = join(dir, 'state.json');
    mkdirSync(path);
    mkdirSync(join(corruptPathFor(path, T), 'taken'), { recursive: true });
    expect(moveAsideSync(path, T)).toEqual({
      moved: false,
      gone: false,
      why: 'the system refused (ENOTEMPTY)',
    });
    expect(readdirSync(dir).sort()).toEqual([
      'state.json',
      'state.json.corrupt-2026-01-29T12-00-00-000Z',
    ]);
  });
});
