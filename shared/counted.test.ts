import { describe, expect, it } from 'vitest';
import { counted } from './counted';

describe('counted', () => {
  it('says one in the singular, anything else in the plural', () => {
    expect(counted(1, 'party', 'parties')).toBe('1 party');
    expect(counted(0, 'party', 'parties')).toBe('0 parties');
    expect(counted(19000, 'party', 'parties')).toBe('19000 parties');
  });
});
