/**
 * The LANrage home is its user's alone: a home an older version made 0755 is made 0700 at
 * start, with the instance's folders below it, and what was changed is said.
 */
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-util/temp-dir';
import { homeFolders, keepHomePrivate } from './home-modes';

let temp: ReturnType<typeof makeTempDir>;
const warnings: string[] = [];
const warn = (why: string) => warnings.push(why);
const modeOf = (path: string) => statSync(path).mode & 0o777;

beforeEach(() => {
  temp = makeTempDir('lanrage-home-modes-');
  warnings.length = 0;
});
afterEach(() => temp.cleanup());

describe.runIf(process.platform !== 'win32')('keepHomePrivate', () => {
  it('makes an old 0755 home and its instance folders 0700, and says so', () => {
    const home = join(temp.dir, 'home');
    const instance = join(home, 'instances', 'two');
    mkdirSync(instance, { recursive: true, mode: 0o755 });
    for (const dir of homeFolders(home, instance)) chmodSync(dir, 0o755);
    writeFileSync(join(home, 'discovery.json'), '{}', { mode: 0o644 });
    keepHomePrivate(home, instance, warn);
    for (const dir of [home, join(home, 'instances'), instance]) expect(modeOf(dir)).toBe(0o700);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toBe(
      `${home} was mode 755; made it 700, so other users of this PC cannot read it`,
    );
  });

  it('keeps the owner’s own bits: a folder the owner may not write stays so', () => {
    const home = join(temp.dir, 'home');
    mkdirSync(home, { mode: 0o755 });
    chmodSync(home, 0o555);
    keepHomePrivate(home, home, warn);
    expect(modeOf(home)).toBe(0o500);
    chmodSync(home, 0o700);
  });

  it('leaves an owner-only home alone, silently; a missing one is made later, 0700', () => {
    const home = join(temp.dir, 'home');
    mkdirSync(home, { mode: 0o700 });
    keepHomePrivate(home, home, warn);
    keepHomePrivate(join(temp.dir, 'none'), join(temp.dir, 'none', 'instances', 'x'), warn);
    expect(modeOf(home)).toBe(0o700);
    expect(warnings).toEqual([]);
  });

  it('does nothing on Windows, where ACLs decide', () => {
    const home = join(temp.dir, 'home');
    mkdirSync(home);
    chmodSync(home, 0o755);
    keepHomePrivate(home, home, warn, 'win32');
    expect(modeOf(home)).toBe(0o755);
  });
});

describe('homeFolders', () => {
  it('the home, then each folder down to the instance dir', () => {
    expect(homeFolders('/h', '/h')).toEqual(['/h']);
    expect(homeFolders('/h', '/h/instances/b')).toEqual(['/h', '/h/instances', '/h/instances/b']);
    // An instance dir outside the home is not the home's to change.
    expect(homeFolders('/h', '/elsewhere/b')).toEqual(['/h']);
  });
});
