// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi, makeParty, makeState } from '../test-util/fixtures';
import { actAsync, renderWithStore } from '../test-util/render';
import { App } from './App';

afterEach(cleanup);

function open(fake = fakeApi()) {
  renderWithStore(<App />, undefined, fake.api);
  fireEvent.click(screen.getByTestId('settings-button'));
  return fake;
}

function fill(name: string, server: string) {
  fireEvent.change(screen.getByTestId('settings-name'), { target: { value: name } });
  fireEvent.change(screen.getByTestId('settings-server'), { target: { value: server } });
  fireEvent.submit(screen.getByTestId('settings-name').closest('form')!);
}

describe('SettingsDialog', () => {
  it('starts from the current settings', () => {
    open();
    expect(screen.getByTestId<HTMLInputElement>('settings-name').value).toBe('Alice');
    expect(screen.getByTestId<HTMLInputElement>('settings-server').value).toBe(
      'ws://127.0.0.1:9000/ws',
    );
  });

  it('rejects an empty name and a non-URL server without calling the app', () => {
    const fake = open();
    fill('  ', '');
    expect(screen.getByTestId('settings-error').textContent).toBe('Display name must not be empty');
    fill('Zed', 'ftp://nope');
    expect(screen.getByTestId('settings-error').textContent).toMatch(
      /ws:\/\/, wss:\/\/, http:\/\/ or https:\/\//,
    );
    expect(fake.calls.filter((c) => c.channel === 'saveSettings')).toHaveLength(0);
  });

  it('a name over 64 characters is an error the user sees, never silently cut', () => {
    const fake = open();
    expect(screen.getByTestId('settings-name').hasAttribute('maxlength')).toBe(false);
    fill('a'.repeat(100), '');
    expect(screen.getByTestId('settings-error').textContent).toBe(
      'Display name must be at most 64 characters (this one has 100)',
    );
    expect(fake.calls.filter((c) => c.channel === 'saveSettings')).toHaveLength(0);
  });

  it('a refused Save moves focus to the field at fault, tied to the error it shows', () => {
    open();
    const save = screen.getByTestId('settings-save');
    save.focus();
    fill('a'.repeat(65), '');
    const name = screen.getByTestId('settings-name');
    expect(document.activeElement).toBe(name);
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(name.getAttribute('aria-describedby')!)?.textContent).toBe(
      'Display name must be at most 64 characters (this one has 65)',
    );
    save.focus();
    fill('Zed', 'ftp://nope');
    const server = screen.getByTestId('settings-server');
    expect(document.activeElement).toBe(server);
    expect(server.getAttribute('aria-invalid')).toBe('true');
    expect(server.getAttribute('aria-describedby')).toContain('settings-error');
    expect(name.hasAttribute('aria-invalid')).toBe(false);
  });

  it('saves the name as the name rule has it (tab → space, invisible characters gone)', async () => {
    const fake = open(fakeApi({ saveSettings: (r) => ({ ok: true, value: r as never }) }));
    await actAsync(() => fill('Big\tBoss\u200B', ''));
    expect(fake.calls.find((c) => c.channel === 'saveSettings')?.request).toEqual({
      peer_name: 'Big Boss',
      control_server: null,
      relay_only: false,
      mute_shortcut: null,
    });
  });

  it('saves valid settings (empty server = local mode) and closes', async () => {
    const fake = open(fakeApi({ saveSettings: (r) => ({ ok: true, value: r as never }) }));
    await actAsync(() => fill('Zed', ''));
    expect(fake.calls.filter((c) => c.channel === 'saveSettings')).toEqual([
      {
        channel: 'saveSettings',
        request: { peer_name: 'Zed', control_server: null, relay_only: false, mute_shortcut: null },
      },
    ]);
    expect(screen.queryByTestId('settings-dialog')).toBeNull();
  });

  it('"Hide my address" starts as saved and is sent as ticked', async () => {
    const fake = open(fakeApi({ saveSettings: (r) => ({ ok: true, value: r as never }) }));
    const box = screen.getByTestId<HTMLInputElement>('settings-relay-only');
    expect(box.checked).toBe(false);
    fireEvent.click(box);
    await actAsync(() => fill('Zed', ''));
    expect(fake.calls.find((c) => c.channel === 'saveSettings')?.request).toMatchObject({
      relay_only: true,
    });
  });

  it("shows the app's error when saving fails", async () => {
    open(
      fakeApi({
        saveSettings: () => ({ ok: false, error: { code: 'internal', message: 'Disk full' } }),
        testServer: () => ({
          ok: true,
          value: { reachable: true, message: '10.0.0.9:8667 answered.' },
        }),
      }),
    );
    await actAsync(() => fill('Zed', 'wss://example.com/ws'));
    expect(screen.getByTestId('settings-error').textContent).toBe('Disk full');
  });

  it('says while typing when a server would be reached without encryption', () => {
    open();
    const type = (server: string) =>
      fireEvent.change(screen.getByTestId('settings-server'), { target: { value: server } });
    type('10.0.0.9:8667');
    expect(screen.getByTestId('settings-server').getAttribute('aria-describedby')).toBe(
      'settings-server-hint settings-server-plain',
    );
    expect(screen.getByTestId('settings-server-plain').textContent).toBe(
      '10.0.0.9:8667: not encrypted, so anyone on the networks between can read what LANrage ' +
        'sends it, party passwords included. Use wss:// or https:// if its host set up TLS.',
    );
    for (const quiet of ['wss://lan.example.org', 'https://a.example', 'ws://localhost:8667', '']) {
      type(quiet);
      expect(screen.queryByTestId('settings-server-plain')).toBeNull();
    }
  });

  it('a new server address is tested first: answered → saved, with no second question', async () => {
    const fake = open(
      fakeApi({
        saveSettings: (r) => ({ ok: true, value: r as never }),
        testServer: () => ({
          ok: true,
          value: { reachable: true, message: '10.0.0.9:8667 answered.' },
        }),
      }),
    );
    await actAsync(() => fill('Zed', 'wss://lan.example.org'));
    expect(fake.calls.map((c) => c.channel)).toEqual(['testServer', 'saveSettings']);
    expect(fake.calls[0]!.request).toEqual({ url: 'wss://lan.example.org' });
    expect(screen.queryByTestId('settings-dialog')).toBeNull();
  });

  // A bare host:port (which the README invites) is checked as ws://…: its result showed nowhere.
  it.each(['ws://10.0.0.9:8667', '10.0.0.9:8667'])(
    '%s, no answer: says so and saves only on "Save anyway"',
    async (typed) => {
      const fake = open(
        fakeApi({
          saveSettings: (r) => ({ ok: true, value: r as never }),
          testServer: () => ({
            ok: true,
            value: {
              reachable: false,
              message: '10.0.0.9:8667 did not answer: nothing is listening.',
            },
          }),
        }),
      );
      await actAsync(() => fill('Zed', typed));
      expect(fake.calls.filter((c) => c.channel === 'saveSettings')).toHaveLength(0);
      const check = screen.getByTestId('settings-check');
      expect(check.getAttribute('data-reachable')).toBe('false');
      // The probe's sentence as it is, not "10.0.0.9:8667: 10.0.0.9:8667 did not…".
      expect(check.textContent).toBe(
        '✕ 10.0.0.9:8667 did not answer: nothing is listening. Check the address, or save it anyway.',
      );
      expect(screen.getByTestId('settings-save').textContent).toBe('Save anyway');
      await actAsync(() => fireEvent.click(screen.getByTestId('settings-save')));
      expect(fake.calls.map((c) => c.channel)).toEqual(['testServer', 'saveSettings']);
      expect(screen.queryByTestId('settings-dialog')).toBeNull();
    },
  );

  it('changing the address after a failed test tests the new one; the saved one is not retested', async () => {
    const fake = open(
      fakeApi({
        saveSettings: (r) => ({ ok: true, value: r as never }),
        testServer: () => ({ ok: true, value: { reachable: false, message: 'No.' } }),
      }),
    );
    await actAsync(() => fill('Zed', 'ws://10.0.0.9:8667'));
    await actAsync(() => fill('Zed', 'ws://10.0.0.10:8667'));
    expect(fake.calls.map((c) => c.channel)).toEqual(['testServer', 'testServer']);
    await actAsync(() => fill('Zed', 'ws://127.0.0.1:9000/ws'));
    expect(fake.calls.map((c) => c.channel)).toEqual(['testServer', 'testServer', 'saveSettings']);
  });
});

describe('SettingsDialog in a party', () => {
  it('keeps the server field read-only (the party lives there) and says why', () => {
    const fake = fakeApi();
    renderWithStore(<App />, makeState({ party: makeParty('alice') }), fake.api);
    fireEvent.click(screen.getByTestId('settings-button'));
    const server = screen.getByTestId<HTMLInputElement>('settings-server');
    expect(server.readOnly).toBe(true);
    expect(screen.getByTestId('settings-server-hint').textContent).toBe(
      'You are in Gaming Night: leave it to change the server.',
    );
    expect(server.getAttribute('aria-describedby')).toBe('settings-server-hint');
  });
});
