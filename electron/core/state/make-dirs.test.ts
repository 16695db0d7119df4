import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDir, makeDirFor } from './make-dirs';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lanrage-dirs-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const isDir = (path: string) => statSync(path).isDirectory();

describe('makeDir', () => {
  it('makes every missing level, with the mode asked for', () => {
    const deep = join(root, 'a', 'b', 'c');
    makeDir(deep, 0o700);
    expect(isDir(deep)).toBe(true);
    for (const level of [join(root, 'a'), join(root, 'a', 'b'), deep]) {
      expect(statSync(level).mode & 0o777).toBe(0o700);
    }
  });

  it('is owner-only (0700) by default: the LANrage home is its user’s alone', () => {
    const deep = join(root, 'home', 'instances', 'b');
    makeDir(deep);
    for (const level of [join(root, 'home'), join(root, 'home', 'instances'), deep]) {
      expect(statSync(level).mode & 0o777).toBe(0o700);
    }
  });

  it('leaves an existing directory and what is in it as they are', () => {
    const dir = join(root, 'keep');
    mkdirSync(dir);
    writeFileSync(join(dir, 'f'), 'x');
    makeDir(dir);
    makeDir(root);
    expect(statSync(join(dir, 'f')).size).toBe(1);
  });

  it('throws the mkdir error when a file stands where a directory should be', () => {
    const file = join(root, 'file');
    writeFileSync(file, 'x');
    expect(() => makeDir(file)).toThrow(/EEXIST/);
    expect(() => makeDir(join(file, 'below'))).toThrow(/ENOTDIR/);
  });

  it('makeDirFor makes the directory a file goes in, not the file', () => {
    const file = join(root, 'x', 'y', 'state.json');
    makeDirFor(file);
    expect(isDir(join(root, 'x', 'y'))).toBe(true);
    expect(() => statSync(file)).toThrow(/ENOENT/);
  });

  // Node's own mkdir { recursive: true } never returns for these paths.
  it.runIf(process.platform === 'linux')(
    'throws ENOENT at once under /proc, whose existing directories refuse children',
    () => {
      for (const path of ['/proc/lanrage-no-such', '/proc/lanrage-no-such/a/b', '/proc/self/x']) {
        expect(() => makeDir(path)).toThrow(/ENOENT/);
      }
    },
  );
});
