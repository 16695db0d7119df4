/** Which homes' saved peer id the identity adopts (seed-home.ts). */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SPEC_STATE_JSON } from '../test-util/fixtures';
import { makeTempDir } from '../test-util/temp-dir';
import { seedPeerIdToAdopt } from './seed-home';

let temp: ReturnType<typeof makeTempDir>;
let dirs: { instanceDir: string; keysDir: string };
beforeEach(() => {
  temp = makeTempDir();
  dirs = { instanceDir: temp.dir, keysDir: join(temp.dir, 'keys') };
});
afterEach(() => temp.cleanup());

const state = (text: string) => writeFileSync(join(temp.dir, 'control_state.json'), text);

describe('the peer id of a seed-format home', () => {
  it('is the state file’s my_peer_id when there is no keys/ (a BOM before it is fine)', () => {
    state(`\uFEFF${SPEC_STATE_JSON}`);
    expect(seedPeerIdToAdopt(dirs)).toBe('peer123');
  });

  it('is not adopted once keys/ exists, even as a file or a dangling link', () => {
    state(SPEC_STATE_JSON);
    mkdirSync(dirs.keysDir);
    expect(seedPeerIdToAdopt(dirs)).toBeNull();
    temp.cleanup();
    temp = makeTempDir();
    dirs = { instanceDir: temp.dir, keysDir: join(temp.dir, 'keys') };
    state(SPEC_STATE_JSON);
    symlinkSync(join(temp.dir, 'nowhere'), dirs.keysDir);
    expect(seedPeerIdToAdopt(dirs)).toBeNull();
  });

  it.each(['control_session.json', 'local_session.json', 'local_server.json', 'instance_id.json'])(
    'is not adopted beside %s (keys/ was deleted: the id is bound to the lost key)',
    (name) => {
      state(SPEC_STATE_JSON);
      writeFileSync(join(temp.dir, name), '{}');
      expect(seedPeerIdToAdopt(dirs)).toBeNull();
    },
  );

  it.each([
    ['no file', null],
    ['damaged', '{"my_peer_id": "peer123"'],
    ['no id', '{"parties": {}, "my_peer_id": null}'],
    ['not an id', '{"parties": {}, "my_peer_id": "../etc"}'],
    ['not an object', 'null'],
  ])('is none for a state file with %s', (_, text) => {
    if (text !== null) state(text);
    expect(seedPeerIdToAdopt(dirs)).toBeNull();
  });
});
