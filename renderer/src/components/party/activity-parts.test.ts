import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../../../shared/ipc/app-state';
import { activityParts } from './activity-parts';

const entry = (subject: string, text: string): ActivityEntry => ({
  at: '2026-01-01T00:00:00.000Z',
  kind: 'joined',
  peer_id: 'p1',
  subject,
  text,
});

describe('activityParts', () => {
  it('parts a line into its name and the words that say what happened', () => {
    const name = 'Sir Reginald Bartholomew Fitzgerald the Third of Lower Wallop IV';
    expect(activityParts(entry(name, `${name} was banned by you`))).toEqual({
      name,
      rest: ' was banned by you',
    });
    expect(activityParts(entry('Bob', 'Bob went offline'))).toEqual({
      name: 'Bob',
      rest: ' went offline',
    });
  });

  it('shows a line that does not start with its subject whole, with no name part', () => {
    expect(activityParts(entry('Bob (2)', 'You are now the host (handed over)'))).toEqual({
      name: null,
      rest: 'You are now the host (handed over)',
    });
    expect(activityParts(entry('', ' joined'))).toEqual({ name: null, rest: ' joined' });
  });

  it('keeps the whole text, in order, in its two parts', () => {
    for (const [subject, text] of [
      ['Bo', 'Bob joined'],
      ['Bob', 'Bob'],
      ['東京', '東京 left'],
    ] as const) {
      const { name, rest } = activityParts(entry(subject, text));
      expect(`${name ?? ''}${rest}`).toBe(text);
    }
  });
});
