import { describe, expect, it } from 'vitest';
import { closure, packageName, subsetLock, type Lockfile } from './lockfile';

/** app → a (b nested under a at 2.0, hoisted b at 1.0 used by c); dev-only d. */
const lock: Lockfile = {
  lockfileVersion: 3,
  packages: {
    '': { dependencies: { a: '^1', c: '^1' }, devDependencies: { d: '^1' } },
    'node_modules/a': {
      version: '1.0.0',
      dev: true,
      dependencies: { b: '^2' },
      optionalDependencies: { gone: '^1' },
    },
    'node_modules/a/node_modules/b': { version: '2.0.0', dev: true },
    'node_modules/b': { version: '1.0.0', devOptional: true },
    'node_modules/c': { version: '1.0.0', dependencies: { b: '^1' }, peerDependencies: { p: '*' } },
    'node_modules/p': { version: '1.0.0', peer: true },
    'node_modules/d': { version: '1.0.0', dev: true },
    'node_modules/@s/e': { version: '1.0.0' },
  },
};

describe('lockfile closure', () => {
  it("follows Node's lookup: nested copies first, then up to the top", () => {
    expect([...closure(lock, ['a'])].sort()).toEqual([
      'node_modules/a',
      'node_modules/a/node_modules/b',
    ]);
    expect([...closure(lock, ['c'])].sort()).toEqual([
      'node_modules/b',
      'node_modules/c',
      'node_modules/p',
    ]);
  });

  it('throws for a required package the lock lacks; skips a missing optional one', () => {
    expect(() => closure(lock, ['nope'])).toThrow(/nope .*not in package-lock/);
    expect(closure(lock, ['a']).has('node_modules/gone')).toBe(false);
  });

  it('names scoped and nested packages', () => {
    expect(packageName('node_modules/@s/e')).toBe('@s/e');
    expect(packageName('node_modules/a/node_modules/b')).toBe('b');
  });
});

describe('subsetLock', () => {
  it('keeps exactly the closure, as production entries, under a root for the manifest', () => {
    const manifest = { name: 'srv', version: '1.2.3', dependencies: { a: '^1', c: '^1' } };
    const out = subsetLock(lock, manifest);
    expect(Object.keys(out.packages).sort()).toEqual([
      '',
      'node_modules/a',
      'node_modules/a/node_modules/b',
      'node_modules/b',
      'node_modules/c',
      'node_modules/p',
    ]);
    expect(out.packages['']).toEqual({
      name: 'srv',
      version: '1.2.3',
      dependencies: manifest.dependencies,
    });
    for (const [key, entry] of Object.entries(out.packages)) {
      expect(entry.dev, key).toBeUndefined();
      expect(entry.devOptional, key).toBeUndefined();
      expect(entry.peer, key).toBeUndefined();
    }
    expect(out.packages['node_modules/a/node_modules/b']!.version).toBe('2.0.0');
  });
});
