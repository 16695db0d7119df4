/**
 * Who may enter a party, over every combination of facts (fast-check): what the rule's
 * comment promises holds whatever else is true. A ban and the member limit hold for everyone,
 * a lock stops every new member, an invite lets its holder past a password, approval and
 * invite-only, and a member coming back is let in unless banned. A private invite-only party
 * tells a newcomer without a valid invite nothing but that it needs one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../protocol/protocol';
import { JoinPolicy, Visibility, withDefaults } from '../party/settings';
import { summaryNeedsInvite } from '../party/summary';
import { decideApproved, decideJoin, type JoinFacts } from './rules';

const facts: fc.Arbitrary<JoinFacts> = fc.record({
  settings: fc
    .record({
      joinPolicy: fc.constantFrom(...Object.values(JoinPolicy)),
      visibility: fc.constantFrom(...Object.values(Visibility)),
      locked: fc.boolean(),
      maxPeers: fc.integer({ min: 1, max: 8 }),
    })
    .map((chosen) => withDefaults(chosen)),
  member: fc.boolean(),
  memberCount: fc.integer({ min: 0, max: 10 }),
  banned: fc.boolean(),
  invite: fc.constantFrom('valid' as const, 'invalid' as const, null),
  password: fc.constantFrom('right' as const, 'wrong' as const, null),
});

/** A newcomer to an unlocked party with room: where the join policy and invite decide. */
const welcome: fc.Arbitrary<JoinFacts> = facts.map((f) => ({
  ...f,
  member: false,
  banned: false,
  memberCount: Math.min(f.memberCount, f.settings.maxPeers - 1),
  settings: { ...f.settings, locked: false },
}));
// Pure and cheap: 5 000 runs a property, so rare cases (a newcomer with room, no invite, a
// wrong password: about 1 in 700 of `facts`) come up several times in each.
const RUNS = { numRuns: 5_000 };

const newcomer = (f: JoinFacts) => !f.member && !f.banned;
const roomFor = (f: JoinFacts) => !f.settings.locked && f.memberCount < f.settings.maxPeers;
/** A newcomer the party shows nothing but that it needs an invite (get_party's summary). */
const hiddenFrom = (f: JoinFacts) => summaryNeedsInvite(f.settings) && f.invite !== 'valid';

describe('decideJoin', () => {
  it('refuses a banned key or id first, member or not', () => {
    fc.assert(
      fc.property(facts, (f) => {
        if (f.banned) expect(decideJoin(f)).toEqual({ kind: 'refuse', code: ErrorCode.BANNED });
      }),
      RUNS,
    );
  });

  it('lets a member back in unless banned, without using an invite', () => {
    fc.assert(
      fc.property(facts, (f) => {
        if (f.member && !f.banned) {
          expect(decideJoin(f)).toEqual({ kind: 'admit', usesInvite: false });
        }
      }),
      RUNS,
    );
  });

  it('a private invite-only party refuses a newcomer without a valid invite first', () => {
    fc.assert(
      fc.property(facts, (f) => {
        if (!newcomer(f) || !hiddenFrom(f)) return;
        expect(decideJoin(f)).toEqual({ kind: 'refuse', code: ErrorCode.INVITE_INVALID });
      }),
      RUNS,
    );
  });

  it('a lock, then a full party, stop every other newcomer, invited or not', () => {
    fc.assert(
      fc.property(facts, (f) => {
        if (!newcomer(f) || hiddenFrom(f)) return;
        if (f.settings.locked) {
          expect(decideJoin(f)).toEqual({ kind: 'refuse', code: ErrorCode.LOCKED });
        } else if (f.memberCount >= f.settings.maxPeers) {
          expect(decideJoin(f)).toEqual({ kind: 'refuse', code: ErrorCode.PARTY_FULL });
        }
      }),
      RUNS,
    );
  });

  it('a valid invite gets a newcomer past any join policy, and only then is it used', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const decision = decideJoin(f);
        const invited = newcomer(f) && roomFor(f) && f.invite === 'valid';
        if (invited) expect(decision).toEqual({ kind: 'admit', usesInvite: true });
        else if (decision.kind === 'admit') expect(decision.usesInvite).toBe(false);
      }),
      RUNS,
    );
  });

  it('without an invite, each policy decides: open, the right password, the host, never', () => {
    fc.assert(
      fc.property(welcome, (f) => {
        if (f.invite === 'valid') return;
        const decision = decideJoin(f);
        if (f.invite === 'invalid') {
          expect(decision).toEqual({ kind: 'refuse', code: ErrorCode.INVITE_INVALID });
          return;
        }
        const wanted = {
          open: { kind: 'admit', usesInvite: false },
          password:
            f.password === 'right'
              ? { kind: 'admit', usesInvite: false }
              : {
                  kind: 'refuse',
                  code:
                    f.password === null ? ErrorCode.PASSWORD_REQUIRED : ErrorCode.WRONG_PASSWORD,
                },
          approval: { kind: 'ask_host' },
          invite_only: { kind: 'refuse', code: ErrorCode.INVITE_INVALID },
        }[f.settings.joinPolicy];
        expect(decision).toEqual(wanted);
      }),
      RUNS,
    );
  });

  it('never admits a newcomer past a ban, a lock or a full party', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const admitted = decideJoin(f).kind !== 'refuse';
        if (admitted) expect(!f.banned && (f.member || roomFor(f))).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('decideApproved (the host said yes, later)', () => {
  it('still refuses a ban, a lock or a full party that came meanwhile, and else admits', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const decision = decideApproved(f);
        if (f.banned) expect(decision).toEqual({ kind: 'refuse', code: ErrorCode.BANNED });
        else if (f.member || roomFor(f)) {
          expect(decision).toEqual({ kind: 'admit', usesInvite: false });
        } else {
          const code = f.settings.locked ? ErrorCode.LOCKED : ErrorCode.PARTY_FULL;
          expect(decision).toEqual({ kind: 'refuse', code });
        }
      }),
      RUNS,
    );
  });
});
