import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh directory under the OS temp dir; call the returned cleanup in afterEach. The removal
 * tries again when a file appears while it runs (ENOTEMPTY): what a test just closed can still
 * be finishing a write there, as one run under load showed (control-plane.process.test.ts).
 */
export function makeTempDir(prefix = 'lanrage-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const cleanup = () =>
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  return { dir, cleanup };
}
