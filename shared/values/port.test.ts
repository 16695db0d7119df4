import { describe, expect, it } from 'vitest';
import { PORT_MESSAGE, PortTextSchema } from './port';

describe('PortTextSchema', () => {
  it('reads 0 to 65535 written as digits', () => {
    expect(PortTextSchema.parse('0')).toBe(0);
    expect(PortTextSchema.parse('8667')).toBe(8667);
    expect(PortTextSchema.parse('65535')).toBe(65535);
  });

  it.each(['', ' ', '-1', '65536', '99999', '1e3', '0x10', '80.5', ' 80', '123456'])(
    'refuses %j with the one message',
    (text) => {
      const parsed = PortTextSchema.safeParse(text);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe(PORT_MESSAGE);
    },
  );
});
