/**
 * Test support: control_state.json written as the app writes it (atomically), counting the
 * writes that completed; handed to a StateStore or a plane as its `writeFile`/`writeState`.
 */
import { atomicWrite } from '../state/atomic-write';

export class CountedWrites {
  count = 0;

  readonly write = async (path: string, text: string): Promise<void> => {
    await atomicWrite(path, text);
    this.count += 1;
  };
}
