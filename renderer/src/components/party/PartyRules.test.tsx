// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, makeParty, makeState } from '../../test-util/fixtures';
import { actAsync, renderWithStore } from '../../test-util/render';
import { App } from '../App';
import { PartyRules } from './PartyRules';

afterEach(cleanup);

describe('Lock party (host)', () => {
  it('keeps focus while the lock is sent (never disabled) and sends it once', async () => {
    // The answer never comes: the button stays busy for the whole test.
    const fake = fakeApi({
      listInvites: () => ({ ok: true, value: [] }),
      updatePartySettings: () => new Promise(() => {}),
    });
    renderWithStore(<App />, makeState({ party: makeParty('alice', ['bob']) }), fake.api);
    const lock = screen.getByTestId<HTMLButtonElement>('toggle-lock');
    lock.focus();
    await actAsync(() => fireEvent.click(lock));
    expect(lock.disabled).toBe(false);
    expect(lock.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(lock);
    await actAsync(() => fireEvent.click(lock));
    expect(fake.calls.filter((c) => c.channel === 'updatePartySettings')).toHaveLength(1);
  });
});

describe('Lock party, named by what it does', () => {
  it('says Lock party or Unlock party, and no aria-pressed that would read either way', () => {
    const party = makeParty('alice', ['bob']);
    renderWithStore(<App />, makeState({ party }));
    expect(screen.getByTestId('toggle-lock').textContent).toContain('Lock party');
    expect(screen.getByTestId('toggle-lock').hasAttribute('aria-pressed')).toBe(false);
    cleanup();
    const locked = { ...party, settings: { ...party.settings, locked: true } };
    renderWithStore(<App />, makeState({ party: locked }));
    expect(screen.getByTestId('toggle-lock').textContent).toContain('Unlock party');
    expect(screen.getByTestId('toggle-lock').hasAttribute('aria-pressed')).toBe(false);
  });
});

describe('the Locked badge', () => {
  it('draws its lock as an SVG beside the word, not as an emoji a PC may lack the font for', () => {
    const party = makeParty('alice', ['bob']);
    const locked = { ...party, settings: { ...party.settings, locked: true } };
    renderWithStore(<PartyRules />, makeState({ party: locked }));
    const badge = screen.getByTestId('party-locked');
    expect(badge.textContent).toBe('Locked');
    const icon = badge.querySelector('svg');
    expect(icon?.dataset.icon).toBe('lock');
    expect(icon?.getAttribute('aria-hidden')).toBe('true');
    expect(icon?.querySelector('path, rect')).not.toBeNull();
  });
});

describe('the rules line of a locked party', () => {
  it('says nobody new can join, not who could: the badge and the line agree', () => {
    const party = makeParty('alice', ['bob']);
    const settings = { ...party.settings, join_policy: 'password' as const, locked: true };
    renderWithStore(<PartyRules />, makeState({ party: { ...party, settings } }));
    const rules = screen.getByTestId('party-rules').textContent ?? '';
    expect(rules).toContain('Locked Nobody new can join · up to');
    expect(rules).not.toContain('Anyone');
  });
});
