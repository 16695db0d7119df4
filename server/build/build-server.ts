/**
 * `npm run build:server [-- --out DIR]` (default dist/server): the control server as plain
 * JavaScript for `node` alone, plus its own package.json and package-lock.json listing only
 * the packages the bundle imports, at the versions this repository locks. On a server:
 * copy DIR, `npm ci --omit=dev`, `node cli.js --host 0.0.0.0 ...`.
 *
 * esbuild bundles our TypeScript (server/ and shared/) and leaves every npm package
 * external: pino and better-sqlite3 load files of their own at runtime (worker threads, a
 * native addon), which a bundle cannot carry.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { z } from 'zod';
import { LockfileSchema, subsetLock, type PackageManifest } from './lockfile';
import { SERVER_NODE_FLAGS } from '../node-flags';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Entry points, named as they land in the output: cli.js starts the writer thread beside it. */
export const SERVER_ENTRIES = {
  cli: path.join(ROOT, 'server/cli.ts'),
  'sqlite-writer': path.join(ROOT, 'server/store/sqlite-writer.ts'),
};

const RootManifestSchema = z.object({
  version: z.string(),
  engines: z.record(z.string(), z.string()).optional(),
  dependencies: z.record(z.string(), z.string()),
  allowScripts: z.record(z.string(), z.boolean()).optional(),
});

/** `pino/file` → `pino`, `@scope/pkg/x` → `@scope/pkg`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** npm packages the bundle imports (Node's built-ins excluded). */
export function importedPackages(metafile: Metafile): string[] {
  const names = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const imp of output.imports) {
      if (!imp.external || imp.path.startsWith('node:') || imp.path.startsWith('.')) continue;
      names.add(packageOf(imp.path));
    }
  }
  return [...names].sort();
}

/** Bundles `entries` (default the server's) into `outDir`, npm packages left external. */
export async function bundle(
  outDir: string,
  entries: Record<string, string> = SERVER_ENTRIES,
): Promise<Metafile> {
  const result = await build({
    entryPoints: entries,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}

/** The server's manifest: every imported package must be a runtime dependency of ours. */
function serverManifest(imported: readonly string[]): PackageManifest & Record<string, unknown> {
  const root = RootManifestSchema.parse(
    JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')),
  );
  const dependencies: Record<string, string> = {};
  for (const name of imported) {
    const range = root.dependencies[name];
    if (!range) throw new Error(`The server imports ${name}, which is not in "dependencies"`);
    dependencies[name] = range;
  }
  const allowScripts = Object.fromEntries(
    Object.entries(root.allowScripts ?? {}).filter(([name]) => name in dependencies),
  );
  return {
    name: 'lanrage-server',
    version: root.version,
    private: true,
    description: 'The LANrage control server, built by `npm run build:server`.',
    type: 'module',
    engines: root.engines,
    // `exec`: npm passes a SIGTERM to its child only, which must be the server, not `sh -c`
    // (the server ran on, orphaned and undrained: build-server.test.ts).
    scripts: { start: ['exec', 'node', ...SERVER_NODE_FLAGS, 'cli.js'].join(' ') },
    dependencies,
    ...(Object.keys(allowScripts).length > 0 ? { allowScripts } : {}),
  };
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Builds into `outDir` (replacing what a previous build left); returns the dependencies. */
export async function buildServer(outDir: string): Promise<Record<string, string>> {
  fs.rmSync(outDir, { recursive: true, force: true });
  const metafile = await bundle(outDir);
  const manifest = serverManifest(importedPackages(metafile));
  const lock = LockfileSchema.parse(
    JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')),
  );
  fs.writeFileSync(path.join(outDir, 'package.json'), json(manifest));
  fs.writeFileSync(path.join(outDir, 'package-lock.json'), json(subsetLock(lock, manifest)));
  return manifest.dependencies;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
  const outDir = path.resolve(values.out ?? path.join(ROOT, 'dist/server'));
  const deps = await buildServer(outDir);
  console.log(`Built the server into ${outDir} (dependencies: ${Object.keys(deps).join(', ')})`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  main().catch((error: unknown) => {
    console.error(`build:server: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
