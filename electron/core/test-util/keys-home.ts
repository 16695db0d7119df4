/** A vitest fixture of its own module: temp-dir.ts is also loaded outside vitest (bench rigs). */
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { makeTempDir } from './temp-dir';

/**
 * A fresh directory for each test of the calling file, with where its `keys/` goes (not made),
 * removed after each: the identity and LAN certificate suites' home.
 */
export function keysHomeEachTest(): { readonly dir: string; readonly keysDir: string } {
  let temp: { dir: string; cleanup: () => void } | null = null;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp?.cleanup());
  return {
    get dir() {
      return temp!.dir;
    },
    get keysDir() {
      return join(temp!.dir, 'keys');
    },
  };
}
