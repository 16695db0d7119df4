// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Settings, SettingsView } from '../../../../shared/ipc/app-state';
import { fakeApi, makeInvite, makeParty, makeState } from '../../test-util/fixtures';
import { actAsync, renderWithStore } from '../../test-util/render';
import { App } from '../App';

afterEach(cleanup);

const firstRun = (
  settings: SettingsView = {
    peer_name: 'root',
    control_server: null,
    voice_volumes: {},
    relay_only: false,
    mute_shortcut: null,
  },
) => makeState({ first_run: true, settings });

function welcomeApi(reachable = true) {
  return fakeApi({
    testServer: () => ({ ok: true, value: { reachable, message: '10.0.0.9 did not answer: x.' } }),
    finishWelcome: (r) => ({
      ok: true,
      value: (r as { settings: Settings | null }).settings ?? {
        peer_name: 'root',
        control_server: null,
      },
    }),
  });
}

describe('first-run welcome', () => {
  it('says who can join without a server as lan_listen has it: this PC, or the local network', () => {
    const state = firstRun();
    renderWithStore(<App />, { ...state, status: { ...state.status, lanListen: true } });
    fireEvent.change(screen.getByTestId('welcome-name'), { target: { value: 'Zoe' } });
    fireEvent.click(screen.getByTestId('welcome-next'));
    const local = screen.getByTestId('welcome-mode-local').closest('label')!;
    expect(local.textContent).toContain('Only players on your local network can join.');
    cleanup();
    renderWithStore(<App />, firstRun());
    fireEvent.change(screen.getByTestId('welcome-name'), { target: { value: 'Zoe' } });
    fireEvent.click(screen.getByTestId('welcome-next'));
    const thisPc = screen.getByTestId('welcome-mode-local').closest('label')!;
    expect(thisPc.textContent).toContain('Only players on this PC can join.');
  });

  it('step 1 asks the name, prefilled from the app (the OS user), heading focused', () => {
    renderWithStore(<App />, firstRun());
    expect(screen.getByTestId('welcome-step-1')).toBeTruthy();
    expect(screen.getByTestId<HTMLInputElement>('welcome-name').value).toBe('root');
    expect(document.activeElement?.textContent).toBe('Welcome to LANrage');
    expect(screen.queryByTestId('create-party-button')).toBeNull();
  });

  it('two steps, then finishWelcome with the choices; home shows and its heading has focus', async () => {
    const fake = welcomeApi();
    renderWithStore(<App />, firstRun(), fake.api);
    fireEvent.change(screen.getByTestId('welcome-name'), { target: { value: 'Zoe' } });
    fireEvent.click(screen.getByTestId('welcome-next'));
    expect(document.activeElement?.textContent).toBe('How do you play?');
    fireEvent.click(screen.getByTestId('welcome-mode-server'));
    fireEvent.change(screen.getByTestId('welcome-server'), {
      target: { value: 'wss://lan.example.org' },
    });
    await actAsync(() => fireEvent.click(screen.getByTestId('welcome-done')));
    expect(fake.calls).toEqual([
      { channel: 'testServer', request: { url: 'wss://lan.example.org' } },
      {
        channel: 'finishWelcome',
        request: { settings: { peer_name: 'Zoe', control_server: 'wss://lan.example.org' } },
      },
    ]);
    expect(screen.queryByTestId('welcome-step-2')).toBeNull();
    expect(document.activeElement?.textContent).toBe('Host or join a party');
  });

  it('the top bar shows no name until the welcome saves the one typed', async () => {
    renderWithStore(<App />, firstRun(), welcomeApi().api);
    expect(screen.queryByTestId('me-name')).toBeNull();
    fireEvent.change(screen.getByTestId('welcome-name'), { target: { value: 'Alice' } });
    fireEvent.click(screen.getByTestId('welcome-next'));
    expect(screen.getByTestId('welcome-step-2')).toBeTruthy();
    // Not "root", the OS user the app offered: a name the user just replaced.
    expect(screen.queryByTestId('me-name')).toBeNull();
    await actAsync(() => fireEvent.click(screen.getByTestId('welcome-done')));
    expect(screen.getByTestId('me-name').textContent).toBe('Alice');
  });

  it('an empty name stops at step 1 with the reason; Skip ends the welcome unchanged', async () => {
    const fake = welcomeApi();
    renderWithStore(<App />, firstRun(), fake.api);
    fireEvent.change(screen.getByTestId('welcome-name'), { target: { value: '  ' } });
    fireEvent.click(screen.getByTestId('welcome-next'));
    expect(screen.getByTestId('welcome-error').textContent).toMatch(/name/i);
    expect(screen.getByTestId('welcome-step-1')).toBeTruthy();
    await actAsync(() => fireEvent.click(screen.getByTestId('welcome-skip')));
    expect(fake.calls).toEqual([{ channel: 'finishWelcome', request: { settings: null } }]);
    expect(screen.getByTestId('create-party-button')).toBeTruthy();
  });

  it('Skip keeps a name typed before it (and the server as configured)', async () => {
    const fake = welcomeApi();
    const configured = { peer_name: 'root', control_server: 'wss://lan.example.org' };
    renderWithStore(
      <App />,
      firstRun({ ...configured, voice_volumes: {}, relay_only: false, mute_shortcut: null }),
      fake.api,
    );
    fireEvent.change(screen.getByTestId('welcome-name'), { target: { value: ' Zoe ' } });
    await actAsync(() => fireEvent.click(screen.getByTestId('welcome-skip')));
    expect(fake.calls).toEqual([
      {
        channel: 'finishWelcome',
        request: {
          settings: {
            peer_name: 'Zoe',
            control_server: 'wss://lan.example.org',
            relay_only: false,
            mute_shortcut: null,
          },
        },
      },
    ]);
  });
});

describe('the welcome checks a server address like Settings does', () => {
  it('no answer: says so, and goes on only with "Start anyway"', async () => {
    const fake = welcomeApi(false);
    renderWithStore(<App />, firstRun(), fake.api);
    fireEvent.click(screen.getByTestId('welcome-next'));
    fireEvent.click(screen.getByTestId('welcome-mode-server'));
    fireEvent.change(screen.getByTestId('welcome-server'), { target: { value: 'ws://10.0.0.9' } });
    // Said before it is checked: that address is reached without encryption.
    expect(screen.getByTestId('welcome-server-plain').textContent).toMatch(
      /^10\.0\.0\.9: not encrypted/,
    );
    await actAsync(() => fireEvent.click(screen.getByTestId('welcome-done')));
    expect(fake.calls.map((c) => c.channel)).toEqual(['testServer']);
    expect(screen.getByTestId('settings-check').textContent).toContain(
      '10.0.0.9 did not answer: x.',
    );
    // It names the button there is: "save it anyway" beside Start anyway left one guessing.
    expect(screen.getByTestId('settings-check').textContent).toMatch(
      /Check the address, or start anyway\.$/,
    );
    expect(screen.getByTestId('welcome-done').textContent).toBe('Start anyway');
    await actAsync(() => fireEvent.click(screen.getByTestId('welcome-done')));
    expect(fake.calls.map((c) => c.channel)).toEqual(['testServer', 'finishWelcome']);
    expect(screen.queryByTestId('welcome-step-2')).toBeNull();
  });
});

describe('focus after a view change', () => {
  it('Create moves focus to the party heading, Leave to the home heading', async () => {
    const fake = fakeApi({
      createParty: () => ({ ok: true, value: makeParty('alice') }),
      leaveParty: () => ({ ok: true, value: null }),
    });
    renderWithStore(<App />, makeState(), fake.api);
    await actAsync(() => fireEvent.click(screen.getByTestId('create-party-button')));
    expect(document.activeElement).toBe(screen.getByTestId('party-name'));
    await actAsync(() => fireEvent.click(screen.getByTestId('leave-party')));
    expect(document.activeElement?.tagName).toBe('H1');
    expect(document.activeElement?.textContent).toBe('Host or join a party');
  });
});

describe('invite copy buttons', () => {
  it('copy the link and a chat message carrying the link and the ID', async () => {
    const copied: string[] = [];
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: (text: string) => (copied.push(text), Promise.resolve()) },
    });
    renderWithStore(<App />, makeState({ party: makeParty('alice') }));
    await actAsync(() => fireEvent.click(screen.getByTestId('copy-invite-link')));
    await actAsync(() => fireEvent.click(screen.getByTestId('copy-invite-message')));
    expect(copied[0]).toBe('lanrage://join/party_abc123');
    expect(copied[1]).toContain('"Gaming Night": lanrage://join/party_abc123');
    expect(copied[1]).toContain('party ID: party_abc123');
  });
});

describe('first run opened by an invite to a party on a server', () => {
  const invite = makeInvite();

  it('holds the join until the welcome is done, and offers the invite’s server', async () => {
    const fake = welcomeApi();
    renderWithStore(<App />, { ...firstRun(), invite }, fake.api);
    expect(screen.queryByTestId('join-dialog')).toBeNull();
    expect(screen.getByTestId('welcome-invited').textContent).toBe(
      'You have an invite to a party on play.example.org: LANrage asks you to join it once ' +
        'you are done here.',
    );
    fireEvent.change(screen.getByTestId('welcome-name'), { target: { value: 'Zoe' } });
    fireEvent.click(screen.getByTestId('welcome-next'));
    expect(screen.getByTestId<HTMLInputElement>('welcome-mode-server').checked).toBe(true);
    expect(screen.getByTestId<HTMLInputElement>('welcome-server').value).toBe(
      'wss://play.example.org',
    );
    await actAsync(() => fireEvent.click(screen.getByTestId('welcome-done')));
    expect(fake.calls.at(-1)).toEqual({
      channel: 'finishWelcome',
      request: { settings: { peer_name: 'Zoe', control_server: 'wss://play.example.org' } },
    });
    expect(screen.getByTestId('join-dialog')).toBeTruthy();
    expect(screen.queryByTestId('join-server')).toBeNull();
    // The dialog opened as the view changed: focus stays in it, not on the heading behind it.
    expect(screen.getByTestId('join-dialog').contains(document.activeElement)).toBe(true);
  });
});
