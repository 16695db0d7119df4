import { describe, expect, it } from 'vitest';
import { dataBytes, diffGroups, groupKey, groupNodes } from './heap-groups';

/** A snapshot in V8's layout: nodes as flat [type, name, self_size] triples. */
function snapshot(nodes: [string, string, number][]): string {
  const types = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'number', 'native'];
  const strings = [...new Set(nodes.map(([, name]) => name))];
  return JSON.stringify({
    snapshot: { meta: { node_fields: ['type', 'name', 'self_size'], node_types: [types] } },
    nodes: nodes.flatMap(([type, name, size]) => [
      types.indexOf(type),
      strings.indexOf(name),
      size,
    ]),
    strings,
  });
}

describe('heap groups', () => {
  it("names V8's own structures, so the optimiser's growth shows apart from ours", () => {
    expect(groupKey('code', 'system / FeedbackVector')).toBe('code:system / FeedbackVector');
    expect(groupKey('hidden', 'system / WeakArrayList')).toBe('hidden:system / WeakArrayList');
    expect(groupKey('code', 'handleFrame')).toBe('code');
    expect(groupKey('string', 'a secret value')).toBe('string');
    expect(groupKey('object', 'PartyInfo')).toBe('object:PartyInfo');
    expect(groupKey('object', 'system / Context / scope @48405')).toBe(
      'object:system / Context / scope',
    );
  });

  it('sorts by growth and counts each group', () => {
    const a = groupNodes(
      snapshot([
        ['object', 'PartyInfo', 40],
        ['hidden', 'system / WeakArrayList', 100],
      ]),
    );
    const b = groupNodes(
      snapshot([
        ['object', 'PartyInfo', 40],
        ['object', 'PartyInfo', 40],
        ['hidden', 'system / WeakArrayList', 400],
        ['code', 'onMessage', 64],
      ]),
    );
    expect(diffGroups(a, b, 2)).toEqual([
      ['hidden:system / WeakArrayList', 1, 1, 0, 300],
      ['code', 0, 1, 1, 64],
    ]);
    expect(diffGroups(a, b, 3)[2]).toEqual(['object:PartyInfo', 1, 2, 1, 40]);
  });

  it("counts the program's values, not code, the engine's metadata or the embedder's", () => {
    const groups = groupNodes(
      snapshot([
        ['object', 'PartyInfo', 40],
        ['closure', 'onFrame', 32],
        ['array', '', 100],
        ['string', 'alice', 24],
        ['number', 'heap number', 16],
        ['code', 'system / FeedbackVector', 500],
        ['code', 'handleFrame', 900],
        ['hidden', 'system / WeakArrayList', 300],
        ['native', 'PerformanceScriptTiming', 120],
      ]),
    );
    expect(dataBytes(groups)).toBe(40 + 32 + 100 + 24 + 16);
  });
});
