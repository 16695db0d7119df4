/**
 * npm lockfile (v3) arithmetic for the server package: which installed packages a set of
 * dependencies pulls in, and a lockfile holding only those. The deployable server gets the
 * exact versions the repository tested, installable with `npm ci --omit=dev` without the
 * desktop app's packages, and without asking the registry to resolve anything at build time.
 */
import { z } from 'zod';

const LockEntrySchema = z
  .object({
    version: z.string().optional(),
    dependencies: z.record(z.string(), z.string()).optional(),
    optionalDependencies: z.record(z.string(), z.string()).optional(),
    peerDependencies: z.record(z.string(), z.string()).optional(),
    peerDependenciesMeta: z.record(z.string(), z.object({ optional: z.boolean() })).optional(),
    optional: z.boolean().optional(),
    dev: z.boolean().optional(),
    devOptional: z.boolean().optional(),
    peer: z.boolean().optional(),
  })
  .loose();
export type LockEntry = z.infer<typeof LockEntrySchema>;

export const LockfileSchema = z
  .object({
    name: z.string().optional(),
    version: z.string().optional(),
    lockfileVersion: z.literal(3),
    packages: z.record(z.string(), LockEntrySchema),
  })
  .loose();
export type Lockfile = z.infer<typeof LockfileSchema>;

/** The package name an install path ends in: `node_modules/a/node_modules/@s/b` → `@s/b`. */
export function packageName(installPath: string): string {
  const i = installPath.lastIndexOf('node_modules/');
  return installPath.slice(i + 'node_modules/'.length);
}

/** Node's lookup: the closest `node_modules/<name>` from `from` upwards to the root. */
function resolveFrom(lock: Lockfile, from: string, name: string): string | null {
  let dir = from;
  for (;;) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (dir === '') return null;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up === -1 ? '' : dir.slice(0, up);
  }
}

/** What an entry needs installed beside it; optional ones only if the lock has them. */
function requirementsOf(entry: LockEntry): { name: string; required: boolean }[] {
  const peersOptional = entry.peerDependenciesMeta ?? {};
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, required: true })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, required: false })),
    ...Object.keys(entry.peerDependencies ?? {}).map((name) => ({
      name,
      required: !peersOptional[name]?.optional,
    })),
  ];
}

/**
 * Install paths of `roots` (top-level package names) and everything they need.
 * @throws Error when a required package is missing from the lock (it is out of date).
 */
export function closure(lock: Lockfile, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue: { from: string; name: string; required: boolean }[] = roots.map((name) => ({
    from: '',
    name,
    required: true,
  }));
  for (let item = queue.pop(); item; item = queue.pop()) {
    const at = resolveFrom(lock, item.from, item.name);
    if (!at) {
      if (item.required)
        throw new Error(
          `${item.name} (needed by ${item.from || 'the package'}) is not in package-lock.json`,
        );
      continue;
    }
    if (seen.has(at)) continue;
    seen.add(at);
    for (const req of requirementsOf(lock.packages[at]!)) queue.push({ from: at, ...req });
  }
  return seen;
}

export interface PackageManifest {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  engines?: Record<string, string>;
}

/**
 * A lockfile for `manifest` alone, cut from the repository's lock: the same versions and
 * integrity hashes. Every entry is a production one here, so `dev`/`devOptional`/`peer`
 * flags from the repository (where a package may also count as tooling) are dropped;
 * otherwise `--omit=dev` would skip it. `optional` stays: optional in the whole tree means
 * optional in any part of it.
 */
export function subsetLock(lock: Lockfile, manifest: PackageManifest): Lockfile {
  const paths = [...closure(lock, Object.keys(manifest.dependencies))].sort();
  const packages: Record<string, LockEntry> = {
    '': {
      name: manifest.name,
      version: manifest.version,
      dependencies: manifest.dependencies,
      ...(manifest.engines ? { engines: manifest.engines } : {}),
    },
  };
  for (const path of paths) {
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = lock.packages[path]!;
    packages[path] = entry;
  }
  return {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages,
  };
}
