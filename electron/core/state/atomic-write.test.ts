/** Atomic writes through a symbolic link (atomic-write.ts, link-target.ts). */
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-util/temp-dir';
import { atomicWrite, atomicWriteSync } from './atomic-write';
import { danglingTarget } from './link-target';

let temp: ReturnType<typeof makeTempDir>;
let home: string;
let elsewhere: string;
beforeEach(() => {
  temp = makeTempDir();
  home = join(temp.dir, 'home');
  elsewhere = join(temp.dir, 'dotfiles');
  mkdirSync(home);
  mkdirSync(elsewhere);
});
afterEach(() => temp.cleanup());

const isLink = (path: string) => lstatSync(path).isSymbolicLink();

describe('atomicWrite on a symbolic link', () => {
  // The rename replaced the link by a plain file: the target kept the old content for good.
  it.each([
    ['atomicWrite', atomicWrite],
    [
      'atomicWriteSync',
      (path: string, data: string) => Promise.resolve(atomicWriteSync(path, data)),
    ],
  ])('%s replaces the file the link names and keeps the link', async (_, write) => {
    writeFileSync(join(elsewhere, 'config.json'), 'old');
    symlinkSync(join(elsewhere, 'config.json'), join(home, 'config.json'));
    await write(join(home, 'config.json'), 'new');
    expect(isLink(join(home, 'config.json'))).toBe(true);
    expect(readFileSync(join(elsewhere, 'config.json'), 'utf8')).toBe('new');
    // The temp file went beside the target, and nothing is left behind.
    expect(readdirSync(elsewhere)).toEqual(['config.json']);
    expect(readdirSync(home)).toEqual(['config.json']);
  });

  it('follows a relative link and a link to a link', async () => {
    writeFileSync(join(elsewhere, 'state.json'), 'old');
    symlinkSync('../dotfiles/state.json', join(home, 'middle.json'));
    symlinkSync('middle.json', join(home, 'state.json'));
    await atomicWrite(join(home, 'state.json'), 'new');
    expect(isLink(join(home, 'state.json'))).toBe(true);
    expect(isLink(join(home, 'middle.json'))).toBe(true);
    expect(readFileSync(join(elsewhere, 'state.json'), 'utf8')).toBe('new');
  });

  it('a link whose file is missing: told as such, and the write creates that file', async () => {
    symlinkSync('../dotfiles/gone.json', join(home, 'config.json'));
    expect(danglingTarget(join(home, 'config.json'))).toBe(join(elsewhere, 'gone.json'));
    await atomicWrite(join(home, 'config.json'), 'made');
    expect(isLink(join(home, 'config.json'))).toBe(true);
    expect(readFileSync(join(elsewhere, 'gone.json'), 'utf8')).toBe('made');
    expect(danglingTarget(join(home, 'config.json'))).toBeNull();
  });

  it('a plain file or none is written as before', async () => {
    expect(danglingTarget(join(home, 'none.json'))).toBeNull();
    await atomicWrite(join(home, 'none.json'), 'a');
    await atomicWrite(join(home, 'none.json'), 'b');
    expect(isLink(join(home, 'none.json'))).toBe(false);
    expect(readFileSync(join(home, 'none.json'), 'utf8')).toBe('b');
  });
});
