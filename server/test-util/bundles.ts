/** Where a test starts one of its programs: the run's bundle (tools/test-bundles.ts). */
import path from 'node:path';
import { inject } from 'vitest';
import type { TestEntry } from '../../tools/test-bundles';

/** The script `node` runs to start `entry`. */
export function bundled(entry: TestEntry): string {
  const dir = inject('testBundles');
  if (!dir) throw new Error('No test bundles: run the tests through vitest.config.ts');
  return path.join(dir, `${entry}.js`);
}
