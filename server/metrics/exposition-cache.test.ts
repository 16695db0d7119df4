import { afterEach, describe, expect, it } from 'vitest';
import { CachedExposition, EXPOSITION_CACHE_MS } from './exposition-cache';
import { TestRig, clockAt, httpGet } from '../test-util/support';

/** An exposition that says how many times it was built; `fail` makes the next build throw. */
function counting() {
  const source = {
    builds: 0,
    fail: false,
    exposition() {
      source.builds += 1;
      if (source.fail) return Promise.reject(new Error('registry broke'));
      return Promise.resolve({ contentType: 'text/plain', body: `build ${source.builds}\n` });
    },
  };
  return source;
}

describe('CachedExposition', () => {
  it('builds once per window, whatever the scrapes, concurrent ones included', async () => {
    let now = 5_000;
    const source = counting();
    const cached = new CachedExposition(source, () => now);
    const bodies = await Promise.all(Array.from({ length: 50 }, () => cached.exposition()));
    now += EXPOSITION_CACHE_MS - 1;
    bodies.push(await cached.exposition());
    expect(source.builds).toBe(1);
    expect(new Set(bodies.map((b) => b.body))).toEqual(new Set(['build 1\n']));
    now += 1;
    expect((await cached.exposition()).body).toBe('build 2\n');
    // A clock set back starts a window, rather than serving the old text until it catches up.
    now -= 10_000;
    expect((await cached.exposition()).body).toBe('build 3\n');
  });

  it('keeps no failed build: the next scrape builds again', async () => {
    const source = counting();
    source.fail = true;
    const cached = new CachedExposition(source, () => 0);
    await expect(cached.exposition()).rejects.toThrow('registry broke');
    source.fail = false;
    expect((await cached.exposition()).body).toBe('build 2\n');
  });
});

describe('/metrics on the server', () => {
  const rig = new TestRig();
  afterEach(() => rig.cleanup());

  it("serves one build a window on the server's clock", async () => {
    let now = 1_000_000;
    const server = await rig.start({ clock: clockAt(() => now) });
    const gauge = async () => {
      const { body } = await httpGet(server.port, '/metrics');
      return /^lanrage_connections (\d+)$/m.exec(body)?.[1];
    };
    expect(await gauge()).toBe('0');
    await rig.connect();
    for (let i = 0; i < 20; i++) expect(await gauge()).toBe('0');
    now += EXPOSITION_CACHE_MS;
    expect(await gauge()).toBe('1');
  });
});
