// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IpcResult } from '../../../../shared/ipc/contract';
import type { PartyView } from '../../../../shared/ipc/app-state';
import { fakeApi, makeInvite, makeParty, makeState } from '../../test-util/fixtures';
import { actAsync, renderWithStore } from '../../test-util/render';
import { App } from '../App';
import { inviteLink } from '../../../../shared/invite';
import { inviteLinkCases, PASTED } from '../../../../shared/test-support/invite-links';

afterEach(cleanup);

function openDialog(api = fakeApi().api) {
  const view = renderWithStore(<App />, undefined, api);
  const opener = screen.getByTestId('open-join-dialog');
  opener.focus();
  fireEvent.click(opener);
  return view;
}

function typeAndSubmit(text: string) {
  fireEvent.change(screen.getByTestId('join-input'), { target: { value: text } });
  fireEvent.submit(screen.getByTestId('join-input').closest('form')!);
}

describe('JoinDialog', () => {
  it('is a modal dialog with the input focused', () => {
    openDialog();
    const dialog = screen.getByTestId('join-dialog');
    expect(dialog.getAttribute('role')).toBe('dialog');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(screen.getByTestId('join-input'));
  });

  it('explains a malformed ID without calling the app', () => {
    const fake = fakeApi();
    openDialog(fake.api);
    typeAndSubmit('what is this?');
    expect(screen.getByTestId('join-error').textContent).toMatch(/not a valid party ID/);
    expect(fake.calls.filter((c) => c.channel === 'joinParty')).toHaveLength(0);
  });

  it("shows the app's message for an unknown party", async () => {
    const fake = fakeApi({
      joinParty: () => ({ ok: false, error: { code: 'not_found', message: 'Party not found' } }),
    });
    openDialog(fake.api);
    await actAsync(() => typeAndSubmit('party_unknown'));
    expect(screen.getByTestId('join-error').textContent).toBe('Party not found');
    expect(fake.calls.filter((c) => c.channel === 'joinParty')).toEqual([
      { channel: 'joinParty', request: { invite: 'party_unknown' } },
    ]);
  });

  it('sends a pasted link naming its host’s certificate as that link', async () => {
    const fake = fakeApi({ joinParty: () => ({ ok: true, value: makeParty('bob', ['alice']) }) });
    openDialog(fake.api);
    const pin = 'a4ayc_80_OGda4BO_1o_V0etpOqiLx1JwB5S3beHW0s';
    const link = `lanrage://join/party_abc123?pin=${pin}`;
    await actAsync(() => typeAndSubmit(`Join my LANrage party "Night": ${link}`));
    expect(fake.calls.filter((c) => c.channel === 'joinParty')).toEqual([
      { channel: 'joinParty', request: { invite: link } },
    ]);
  });

  it('sends a pasted link naming where its host answers with that address (the app dials it)', async () => {
    const fake = fakeApi({ joinParty: () => ({ ok: true, value: makeParty('bob', ['alice']) }) });
    openDialog(fake.api);
    const pin = 'a4ayc_80_OGda4BO_1o_V0etpOqiLx1JwB5S3beHW0s';
    const link = `lanrage://join/party_abc123?pin=${pin}&at=10.0.0.5:8669`;
    await actAsync(() => typeAndSubmit(`come: ${link}.`));
    expect(fake.calls.filter((c) => c.channel === 'joinParty')).toEqual([
      { channel: 'joinParty', request: { invite: link } },
    ]);
  });

  it('shows an unreachable-server message', async () => {
    const message = 'Cannot reach the control server at ws://127.0.0.1:1/ws.';
    openDialog(
      fakeApi({ joinParty: () => ({ ok: false, error: { code: 'unreachable', message } }) }).api,
    );
    await actAsync(() => typeAndSubmit('party_abc123'));
    expect(screen.getByTestId('join-error').textContent).toBe(message);
  });

  it('shows "Joining…" and disables the button while joining, then shows the party', async () => {
    let answer: (r: IpcResult<PartyView>) => void = () => undefined;
    openDialog(fakeApi({ joinParty: () => new Promise((resolve) => (answer = resolve)) }).api);
    typeAndSubmit('lanrage://join/party_abc123');
    const button = screen.getByTestId<HTMLButtonElement>('join-submit');
    expect(button.textContent).toBe('Joining…');
    expect(button.disabled).toBe(true);
    await actAsync(() => answer({ ok: true, value: makeParty('bob', ['alice']) }));
    expect(screen.queryByTestId('join-dialog')).toBeNull();
    expect(screen.getByTestId('party-view')).toBeTruthy();
  });

  it('Esc closes the dialog and returns focus to the opener', () => {
    openDialog();
    fireEvent.keyDown(screen.getByTestId('join-input'), { key: 'Escape' });
    expect(screen.queryByTestId('join-dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('open-join-dialog'));
  });

  it('Tab from the last button wraps to the input (focus trapped)', () => {
    openDialog();
    fireEvent.change(screen.getByTestId('join-input'), { target: { value: 'x' } });
    const submit = screen.getByTestId('join-submit');
    submit.focus();
    fireEvent.keyDown(submit, { key: 'Tab' });
    expect(document.activeElement).toBe(screen.getByTestId('join-input'));
  });
});

describe('JoinDialog focus after a failed join', () => {
  it('puts focus back in the input, and Esc still closes from anywhere', async () => {
    openDialog(
      fakeApi({
        joinParty: () => ({ ok: false, error: { code: 'not_found', message: 'No party' } }),
      }).api,
    );
    screen.getByTestId('join-submit').focus();
    await actAsync(() => typeAndSubmit('party_unknown'));
    expect(document.activeElement).toBe(screen.getByTestId('join-input'));
    (document.activeElement as HTMLElement).blur();
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(screen.queryByTestId('join-dialog')).toBeNull();
  });
});

describe('an invite naming another server', () => {
  const link = 'lanrage://join/party_abc12345?server=wss://play.example.org';

  it('says where the party is, what joining switches, and sends the user’s word', async () => {
    const fake = fakeApi({ joinParty: () => ({ ok: true, value: makeParty('bob', ['alice']) }) });
    openDialog(fake.api);
    fireEvent.change(screen.getByTestId('join-input'), { target: { value: link } });
    expect(screen.getByTestId('join-server').textContent).toBe(
      'This party is on play.example.org, and LANrage uses 127.0.0.1:9000. Joining switches ' +
        'LANrage to play.example.org (Settings can switch it back).',
    );
    expect(screen.getByTestId('join-submit').textContent).toBe('Switch server and join');
    expect(screen.queryByTestId('join-server-plain')).toBeNull();
    await actAsync(() => fireEvent.submit(screen.getByTestId('join-input').closest('form')!));
    expect(fake.calls.filter((c) => c.channel === 'joinParty')).toEqual([
      { channel: 'joinParty', request: { invite: link, switch_server: true } },
    ]);
  });

  it('an invite to a server without TLS says so before the switch', () => {
    openDialog(fakeApi().api);
    const plain = 'lanrage://join/party_abc12345?server=ws://203.0.113.7:8667';
    fireEvent.change(screen.getByTestId('join-input'), { target: { value: plain } });
    expect(screen.getByTestId('join-server-plain').textContent).toMatch(
      /^203\.0\.113\.7:8667: not encrypted, so anyone on the networks between can read/,
    );
  });

  it('in a party already: only that is said, not a switch the app would refuse', () => {
    // A clicked link opens the dialog over the party view.
    const invite = makeInvite();
    renderWithStore(<App />, makeState({ party: makeParty('alice'), invite }));
    expect(screen.getByTestId<HTMLInputElement>('join-input').value).toBe(link);
    expect(screen.getByTestId('join-in-party')).toBeTruthy();
    expect(screen.queryByTestId('join-server')).toBeNull();
    expect(screen.getByTestId('join-submit').textContent).toBe('Join');
  });

  it('says nothing of servers for a link to the server in use', () => {
    openDialog();
    const same = 'lanrage://join/party_abc12345?server=http://127.0.0.1:9000';
    fireEvent.change(screen.getByTestId('join-input'), { target: { value: same } });
    expect(screen.queryByTestId('join-server')).toBeNull();
    expect(screen.getByTestId('join-submit').textContent).toBe('Join');
  });
});

describe('focus after joining by Enter', () => {
  // Enter leaves focus in the input (a click moves it to the button, which disabling drops):
  // the view changes under the dialog, then the dialog goes, and its opener went with Home.
  it('lands on the party’s heading, not on <body>', async () => {
    const fake = fakeApi({ joinParty: () => ({ ok: true, value: makeParty('bob', ['alice']) }) });
    openDialog(fake.api);
    screen.getByTestId('join-input').focus();
    await actAsync(() => typeAndSubmit('party_abc123'));
    expect(screen.queryByTestId('join-dialog')).toBeNull();
    await actAsync(() => undefined);
    expect(document.activeElement).toBe(screen.getByTestId('party-name'));
  });

  it('also when the party arrives pushed before the answer closes the dialog', async () => {
    let answer: (r: IpcResult<PartyView>) => void = () => undefined;
    const fake = fakeApi({ joinParty: () => new Promise((resolve) => (answer = resolve)) });
    const { store } = openDialog(fake.api);
    screen.getByTestId('join-input').focus();
    typeAndSubmit('party_abc123');
    const party = makeParty('bob', ['alice']);
    await actAsync(() => store.getState().applyEvent({ type: 'party', party }));
    expect(screen.getByTestId('join-dialog')).toBeTruthy();
    await actAsync(() => answer({ ok: true, value: party }));
    await actAsync(() => undefined);
    expect(document.activeElement).toBe(screen.getByTestId('party-name'));
  });
});

describe('JoinDialog after too many wrong passwords', () => {
  afterEach(() => vi.useRealTimers());

  it('counts the named wait down with Join disabled, then says the user can try again', async () => {
    vi.useFakeTimers();
    const message = 'Too many wrong passwords: try again in 3 s';
    const error = { code: 'unreachable' as const, message, retry_after_s: 3 };
    const fake = fakeApi({ joinParty: () => ({ ok: false, error }) });
    openDialog(fake.api);
    await actAsync(() => typeAndSubmit('party_abc123'));
    const said = () => screen.getByTestId('join-error');
    const join = () => screen.getByTestId<HTMLButtonElement>('join-submit');
    expect(said().textContent).toBe(message);
    expect(join().disabled).toBe(true);
    // Enter (or a second click) meanwhile asks nothing, and typing keeps the wait said.
    await actAsync(() => typeAndSubmit('party_abc123 '));
    expect(fake.calls.filter((c) => c.channel === 'joinParty')).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(said().textContent).toBe('Too many wrong passwords: try again in 2 s');
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(said().textContent).toBe('Too many wrong passwords: try again in 1 s');
    expect(join().disabled).toBe(true);
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(said().textContent).toBe('You can try again now.');
    expect(said().getAttribute('role')).toBe('status');
    expect(join().disabled).toBe(false);
    await actAsync(() => typeAndSubmit('party_abc123'));
    expect(fake.calls.filter((c) => c.channel === 'joinParty')).toHaveLength(2);
  });

  it('an error without a named wait is shown as it came, Join enabled', async () => {
    const message = 'Too many requests from your address are waiting for this host; try later';
    openDialog(
      fakeApi({ joinParty: () => ({ ok: false, error: { code: 'unreachable', message } }) }).api,
    );
    await actAsync(() => typeAndSubmit('party_abc123'));
    expect(screen.getByTestId('join-error').textContent).toBe(message);
    expect(screen.getByTestId<HTMLButtonElement>('join-submit').disabled).toBe(false);
  });
});

describe('JoinDialog and every form of a pasted link', () => {
  // The same table as the join page (server/access/join-page.test.ts) and clicked links.
  const SERVER = 'https://lan.example.org';
  const pastes = inviteLinkCases('Tok3n'.repeat(5)).flatMap((c) => [
    [c.form, `${SERVER}${c.target}`, SERVER, c] as const,
    [`${c.form}, in <…> in a message`, PASTED[4]!(`${SERVER}${c.target}`), SERVER, c] as const,
    [`${c.form}, lanrage://`, `lanrage:/${c.target}`, undefined, c] as const,
  ]);

  it.each(pastes)('%s', async (_form, text, server, { read }) => {
    const fake = fakeApi({ joinParty: () => ({ ok: true, value: makeParty('bob', ['alice']) }) });
    openDialog(fake.api);
    await actAsync(() => typeAndSubmit(text));
    const sent = fake.calls.filter((c) => c.channel === 'joinParty');
    if ('refused' in read) {
      expect(screen.getByTestId('join-error').textContent).toBe(read.refused);
      expect(sent).toHaveLength(0);
    } else {
      const carried = read.invite !== undefined || server !== undefined;
      const invite = carried ? inviteLink(read.partyId, read.invite, server) : read.partyId;
      expect(sent).toMatchObject([{ request: { invite } }]);
    }
  });
});
