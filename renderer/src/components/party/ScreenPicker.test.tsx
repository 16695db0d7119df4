// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScreenSource } from '../../../../shared/ipc/screens';
import { fakeApi, makeParty, makeState } from '../../test-util/fixtures';
import { actAsync, renderWithStore } from '../../test-util/render';
import { ScreenPanel } from './ScreenPanel';

const party = makeParty('bob', ['alice', 'carol']);
const PNG = 'data:image/png;base64,iVBORw0KGgo=';
const DESK: ScreenSource[] = [
  { id: 'screen:0:0', name: 'Screen 1', kind: 'screen', thumbnail: PNG },
  { id: 'window:42:0', name: 'Quake', kind: 'window', thumbnail: PNG },
  { id: 'window:43:0', name: '', kind: 'window', thumbnail: '' },
];

let getDisplayMedia: ReturnType<typeof vi.fn>;
beforeEach(() => {
  // Capturing is not this test's: the picker's part ends where the capture starts.
  getDisplayMedia = vi.fn(() => Promise.reject(new DOMException('no', 'NotAllowedError')));
  Object.defineProperty(navigator, 'mediaDevices', {
    value: { getDisplayMedia },
    configurable: true,
  });
});
afterEach(() => {
  cleanup();
  Reflect.deleteProperty(navigator, 'mediaDevices');
});

async function share(listed: ScreenSource[] | null, chooseOk = true) {
  const fake = fakeApi({
    listScreenSources: () => ({ ok: true, value: listed }),
    chooseScreenSource: () =>
      chooseOk
        ? { ok: true, value: null }
        : {
            ok: false,
            error: { code: 'not_found', message: 'That window is not there any more.' },
          },
  });
  renderWithStore(<ScreenPanel />, makeState({ party }), fake.api);
  await actAsync(() => fireEvent.click(screen.getByTestId('screen-share')));
  await actAsync(() => undefined);
  const chosen = () =>
    fake.calls.filter((c) => c.channel === 'chooseScreenSource').map((c) => c.request);
  return { chosen };
}

const names = (group: string) =>
  [...screen.getByRole('region', { name: group }).querySelectorAll('.screen-source-name')].map(
    (n) => n.textContent,
  );

describe('ScreenPanel: choosing what to share', () => {
  it('the desktop lists screens and windows; the one picked is chosen, then captured', async () => {
    const { chosen } = await share(DESK);
    expect(screen.getByTestId('screen-picker')).toBeTruthy();
    expect(names('Screens')).toEqual(['Screen 1']);
    expect(names('Windows')).toEqual(['Quake', 'Untitled window']);
    expect(getDisplayMedia).not.toHaveBeenCalled();
    const quake = document.querySelector('[data-source-id="window:42:0"]')!;
    await actAsync(() => fireEvent.click(quake));
    await actAsync(() => undefined);
    expect(chosen()).toEqual([{ id: 'window:42:0' }]);
    expect(getDisplayMedia).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('screen-picker')).toBeNull();
  });

  it('cancelled: nothing is chosen and nothing captured', async () => {
    const { chosen } = await share(DESK);
    await actAsync(() => fireEvent.click(screen.getByTestId('screen-picker-cancel')));
    expect(screen.queryByTestId('screen-picker')).toBeNull();
    expect(chosen()).toEqual([]);
    expect(getDisplayMedia).not.toHaveBeenCalled();
  });

  it('where the system or the browser asks (no list), the capture starts at once', async () => {
    const { chosen } = await share(null);
    expect(screen.queryByTestId('screen-picker')).toBeNull();
    expect(chosen()).toEqual([]);
    expect(getDisplayMedia).toHaveBeenCalledTimes(1);
  });

  it('a choice the desktop refuses is said, and nothing is captured', async () => {
    await share(DESK, false);
    await actAsync(() => fireEvent.click(document.querySelector('[data-source-id="screen:0:0"]')!));
    await actAsync(() => undefined);
    expect(screen.getByTestId('screen-error').textContent).toBe(
      'That window is not there any more.',
    );
    expect(getDisplayMedia).not.toHaveBeenCalled();
  });
});
