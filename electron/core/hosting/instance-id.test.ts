/** The id an instance hosts under, kept in its folder (instance-id.ts). */
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-util/temp-dir';
import { INSTANCE_ID_FILE, loadInstanceId, pathDerivedId } from './instance-id';

let temp: ReturnType<typeof makeTempDir>;
let notices: string[];
let warnings: string[];
const tell = {
  report: (m: string) => notices.push(m),
  warn: (m: string) => warnings.push(m),
};

beforeEach(() => {
  temp = makeTempDir();
  notices = [];
  warnings = [];
});
afterEach(() => temp.cleanup());

const instanceAt = (name: string) => ({
  instanceDir: join(temp.dir, 'instances', name),
  instance: name,
});
const load = (config: { instanceDir: string; instance: string | null }) =>
  loadInstanceId(config, tell, () => 0);

describe('the instance id', () => {
  it('is made once from the path, then read back wherever the folder goes', async () => {
    const first = instanceAt('a');
    expect(await load(first)).toBe(pathDerivedId(first.instanceDir));
    const moved = { instanceDir: join(temp.dir, 'elsewhere', 'instances', 'a'), instance: 'a' };
    cpSync(first.instanceDir, moved.instanceDir, { recursive: true });
    expect(await load(moved)).toBe(pathDerivedId(first.instanceDir));
    expect(notices).toEqual([]);
  });

  it('an instance copied to another name in the same home gets its own id', async () => {
    // Both list their parties in the home's one discovery.json: one id would stand for two.
    const a = instanceAt('a');
    const b = instanceAt('b');
    await load(a);
    cpSync(a.instanceDir, b.instanceDir, { recursive: true });
    expect(await load(b)).toBe(pathDerivedId(b.instanceDir));
    expect(await load(b)).not.toBe(await load(a));
  });

  it('a file saved with a UTF-8 byte order mark is read, not kept aside as damaged', async () => {
    const a = instanceAt('a');
    mkdirSync(a.instanceDir, { recursive: true });
    const kept = { instance_id: '0123456789abcdef', instance: 'a' };
    writeFileSync(join(a.instanceDir, INSTANCE_ID_FILE), `\uFEFF${JSON.stringify(kept)}`);
    expect(await load(a)).toBe('0123456789abcdef');
    expect(notices).toEqual([]);
  });

  it('a damaged file is kept aside and told, and the id made from the path again', async () => {
    const a = instanceAt('a');
    mkdirSync(a.instanceDir, { recursive: true });
    writeFileSync(join(a.instanceDir, INSTANCE_ID_FILE), '{"instance_id": "../../x"');
    expect(await load(a)).toBe(pathDerivedId(a.instanceDir));
    expect(notices).toEqual([
      expect.stringMatching(
        /^The id LANrage hosts your parties under \(.*\) could not be read: it is damaged \(not valid JSON\)\. LANrage kept it as .*corrupt-/,
      ),
    ]);
    expect(readdirSync(a.instanceDir).filter((f) => f.includes('.corrupt-'))).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(a.instanceDir, INSTANCE_ID_FILE), 'utf8'))).toEqual({
      instance_id: pathDerivedId(a.instanceDir),
      instance: 'a',
    });
  });

  it('a folder it cannot write: the id from the path for this run, logged only', async () => {
    writeFileSync(join(temp.dir, 'instances'), 'a file where the folder goes');
    const a = instanceAt('a');
    expect(await load(a)).toBe(pathDerivedId(a.instanceDir));
    expect(notices).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining(`Could not save ${a.instanceDir}`)]);
  });
});
