/** Test support: the one line the server's flag parser throws for `argv`. */
import { parseCli } from '../cli/args';

export function cliRefusal(argv: string[]): string {
  try {
    parseCli(argv, {});
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
}
