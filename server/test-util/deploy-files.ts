/**
 * Test support: what the repository's deployment files hand the server, read as Docker and
 * Compose read them (neither runs on the test machines).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const readDeployFile = (file: string): string =>
  fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The runtime stage's `ENV A=1 B=2` lines (values without spaces or quotes, as ours are). */
export function dockerRuntimeEnv(dockerfile: string): Record<string, string> {
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const [, pairs] of runtime.matchAll(/^ENV (.+)$/gm)) {
    for (const pair of pairs!.trim().split(/\s+/)) {
      const at = pair.indexOf('=');
      if (at <= 0) throw new Error(`ENV ${pairs}: not KEY=value`);
      env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return env;
}

/** The HEALTHCHECK's exec-form command (its `CMD [...]`, on the line after the options). */
export function healthcheckCommand(dockerfile: string): string[] {
  const json = /^HEALTHCHECK [^\n]*\\\n\s+CMD (\[.*\])$/m.exec(dockerfile)?.[1];
  if (!json) throw new Error('no exec-form HEALTHCHECK');
  return JSON.parse(json) as string[];
}

interface ComposeFile {
  services: Record<string, { environment?: Record<string, string>; command?: unknown }>;
}

/**
 * The server service's environment with `files` given as `docker compose -f a -f b`: Compose
 * merges `environment` mappings key by key, a later file's value winning.
 */
export function composeServerEnv(files: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const file of files) {
    const server = (parse(readDeployFile(file)) as ComposeFile).services.server;
    if (server?.command !== undefined) throw new Error(`${file}: a command replaces the image's`);
    Object.assign(env, server?.environment);
  }
  return env;
}
