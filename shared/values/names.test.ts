import { describe, expect, it, vi } from 'vitest';
import { SettingsSchema } from '../ipc/app-state';
import { PeerDictSchema } from '../party/dicts';
import {
  cutToNameInput,
  fallbackName,
  MAX_NAME_INPUT,
  MAX_NAME_LENGTH,
  NameSchema,
  nameSchema,
  normalizeName,
  uniqueMemberName,
} from './names';

describe('the name rule', () => {
  it('applies NFKC, so fullwidth and ligature forms read as the plain letters', () => {
    expect(normalizeName('Ｈｏｓｔ')).toBe('Host');
    expect(normalizeName('ﬁre')).toBe('fire');
  });

  it('turns tabs and line breaks into one space and drops other control characters', () => {
    expect(normalizeName('Big\tBoss')).toBe('Big Boss');
    expect(normalizeName('two\r\n lines')).toBe('two lines');
    expect(normalizeName('bell\u0007\u007f')).toBe('bell');
  });

  it('removes bidi overrides and zero-width characters', () => {
    expect(normalizeName('\u202Etsoh\u202C')).toBe('tsoh');
    expect(normalizeName('Ho\u200Bst\u200D\uFEFF')).toBe('Host');
    expect(normalizeName('\u2066Host\u2069')).toBe('Host');
  });

  it('keeps at most four combining marks on a character: piled ones drew over other lines', () => {
    const marks = '\u0336\u0317\u0353\u0324\u0339\u0352\u0306\u030f'; // 8, canonical order
    const zalgo = `Z${marks}a${marks}${marks}`.normalize('NFKC');
    const kept = normalizeName(zalgo);
    expect([...kept].filter((c) => /\p{M}/u.test(c))).toHaveLength(8);
    expect(kept.startsWith('Z')).toBe(true);
    expect(normalizeName(kept)).toBe(kept);
    // Letters of real scripts keep every mark they carry.
    for (const name of ['Nguyễn Thị Ánh', 'สวัสดีครับ', 'नमस्ते दुनिया', 'བཀྲ་ཤིས་', 'Ω\u0301\u0308']) {
      expect(normalizeName(name)).toBe(name.normalize('NFKC'));
    }
    // A name of marks alone keeps four of them (never emptied, so no saved name stops
    // loading), shown on a dotted circle (next test).
    expect(normalizeName(marks)).toBe(`\u25cc${marks.slice(0, 4)}`);
  });

  it('puts a dotted circle before a leading mark, which the page drew on what came before', () => {
    expect(normalizeName('\u0336\u0336Bob')).toBe('\u25cc\u0336\u0336Bob');
    expect(normalizeName('  \u0301x')).toBe('\u25cc\u0301x');
    expect(normalizeName('\u25cc\u0301x')).toBe('\u25cc\u0301x');
    // A mark later in a name stays where it is, on its own letter or blank.
    expect(normalizeName('Bo\u0301b \u0301')).toBe('Bo\u0301b \u0301'.normalize('NFKC'));
    // The circle is not counted: a name accepted before (64 with a leading mark) still is.
    const longest = `\u0301${'a'.repeat(MAX_NAME_LENGTH - 1)}`;
    expect(NameSchema.parse(longest)).toBe(`\u25cc${longest}`);
    expect(NameSchema.parse(NameSchema.parse(longest))).toBe(`\u25cc${longest}`);
    expect(NameSchema.safeParse(`${longest}a`).success).toBe(false);
  });

  it('counts characters, not UTF-16 units: 64 emoji fit, 65 are an error, never cut', () => {
    const emoji = '🎮'.repeat(MAX_NAME_LENGTH);
    expect(NameSchema.parse(emoji)).toBe(emoji);
    const tooLong = NameSchema.safeParse(`${emoji}x`);
    expect(tooLong.success).toBe(false);
    expect(tooLong.error?.issues[0]?.message).toBe(
      'must be at most 64 characters (this one has 65)',
    );
    const hundred = nameSchema('Display name').safeParse('a'.repeat(100));
    expect(hundred.error?.issues[0]?.message).toBe(
      'Display name must be at most 64 characters (this one has 100)',
    );
  });

  it('refuses a name longer than MAX_NAME_INPUT as given, without normalizing it', () => {
    // U+FDFA becomes 18 characters under NFKC: a frame of them froze a server.
    const expanding = '\ufdfa'.repeat(21_000);
    const normalize = vi.spyOn(String.prototype, 'normalize');
    try {
      const refused = nameSchema('Display name').safeParse(expanding);
      expect(refused.error?.issues[0]?.message).toBe(
        'Display name must be at most 64 characters (this one has 21000)',
      );
      expect(normalize).not.toHaveBeenCalled();
      // Characters, not UTF-16 units, as for any name too long.
      const emoji = NameSchema.safeParse('🎮'.repeat(MAX_NAME_INPUT));
      expect(emoji.error?.issues[0]?.message).toContain(`has ${MAX_NAME_INPUT})`);
    } finally {
      normalize.mockRestore();
    }
    // Up to the bound, invisible characters are removed as before and the rest is the name.
    expect(NameSchema.parse(`${'\u200b'.repeat(MAX_NAME_INPUT - 3)}Bob`)).toBe('Bob');
    expect(NameSchema.safeParse(`${'\u200b'.repeat(MAX_NAME_INPUT - 2)}Bob`).success).toBe(false);
  });

  it('removes a lone surrogate, half of a character, and keeps whole ones', () => {
    expect(normalizeName('A\ud800B\udc00C')).toBe('ABC');
    expect(NameSchema.safeParse('\ud800').success).toBe(false);
    expect(normalizeName('🎮 Ann')).toBe('🎮 Ann');
  });

  it('refuses a name that is empty once invisible characters are gone', () => {
    expect(NameSchema.safeParse('\u200B\u202E \t').success).toBe(false);
  });

  it('is the rule of Settings and of the model (peers on the wire and on disk)', () => {
    const settings = SettingsSchema.parse({ peer_name: 'Tab\there', control_server: null });
    expect(settings.peer_name).toBe('Tab here');
    expect(
      SettingsSchema.safeParse({ peer_name: 'x'.repeat(65), control_server: null }).success,
    ).toBe(false);
    const peer = PeerDictSchema.parse({
      peer_id: 'p1',
      name: 'Ho\u200Bst\t',
      public_key: 'k',
      nat_type: 'open',
      public_ip: '10.0.0.1',
      public_port: 1,
      local_ip: '10.0.0.1',
      local_port: 1,
      last_seen: '2026-01-01T00:00:00',
    });
    expect(peer.name).toBe('Host');
  });

  it('fallbackName fits a default (the OS user) to the rule', () => {
    expect(fallbackName('\u200B', 'Player')).toBe('Player');
    expect(fallbackName('r'.repeat(80), 'Player')).toBe('r'.repeat(64));
  });
});

describe('uniqueMemberName', () => {
  it('keeps a free name and gives a taken one the first free visible suffix', () => {
    expect(uniqueMemberName('Ann', ['Host'])).toBe('Ann');
    expect(uniqueMemberName('Host', ['Host'])).toBe('Host (2)');
    expect(uniqueMemberName('host', ['Host', 'host (2)'])).toBe('host (3)');
  });

  it('takes a name spelt with Cyrillic or Greek look-alikes as the Latin one it shows', () => {
    // "Hоst" with a Cyrillic о, "Ηοst" with a Greek Eta and omicron, "АLICE" with a Cyrillic А.
    expect(uniqueMemberName('H\u043est', ['Host'])).toBe('H\u043est (2)');
    expect(uniqueMemberName('\u0397\u03bfst', ['Host'])).toBe('\u0397\u03bfst (2)');
    expect(uniqueMemberName('\u0410LICE', ['alice'])).toBe('\u0410LICE (2)');
    // Words of those scripts that look like no Latin name stay as they are.
    expect(uniqueMemberName('Иван', ['Ivan'])).toBe('Иван');
    expect(uniqueMemberName('Όλγα', ['Olga'])).toBe('Όλγα');
  });

  it('shortens a long base so the suffix still shows within the limit', () => {
    const long = 'n'.repeat(MAX_NAME_LENGTH);
    const unique = uniqueMemberName(long, [long]);
    expect(unique.endsWith(' (2)')).toBe(true);
    expect([...unique].length).toBe(MAX_NAME_LENGTH);
  });
});

describe('cutToNameInput', () => {
  it('leaves a name within MAX_NAME_INPUT as it is, and cuts a longer one to it', () => {
    expect(cutToNameInput('LAN Night')).toBe('LAN Night');
    const exact = 'x'.repeat(MAX_NAME_INPUT);
    expect(cutToNameInput(exact)).toBe(exact);
    expect(cutToNameInput(`${exact}y`)).toBe(exact);
  });

  it('never keeps half of a character the bound falls in', () => {
    const cut = cutToNameInput(`${'x'.repeat(MAX_NAME_INPUT - 1)}🎮`);
    expect(cut).toBe('x'.repeat(MAX_NAME_INPUT - 1));
    // A character that ends at the bound is kept whole.
    const whole = `${'x'.repeat(MAX_NAME_INPUT - 2)}🎮`;
    expect(cutToNameInput(`${whole}z`)).toBe(whole);
  });
});
