// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithStore } from '../../test-util/render';
import { App } from '../App';
import { Dialog } from './Dialog';

afterEach(cleanup);

function page() {
  return render(
    <div className="app">
      <header>
        <button type="button">Behind</button>
      </header>
      <main>
        <button type="button">Also behind</button>
      </main>
      <Dialog title="Waiting" testId="dialog" onClose={() => undefined}>
        <button type="button">First</button>
        <p tabIndex={-1} data-testid="wait">
          Waiting for the host…
        </p>
        <button type="button">Last</button>
      </Dialog>
    </div>,
  );
}

const tab = (shiftKey = false) =>
  fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Tab', shiftKey });

describe('Tab in a dialog from focus on something not tabbable', () => {
  it('goes to the tabbable before or after it inside, never the page behind', () => {
    page();
    screen.getByTestId('wait').focus();
    tab(true);
    expect(document.activeElement).toBe(screen.getByText('First'));
    screen.getByTestId('wait').focus();
    tab();
    expect(document.activeElement).toBe(screen.getByText('Last'));
  });

  it('from <body> (a button disabled under focus) goes into the dialog', () => {
    page();
    (document.activeElement as HTMLElement).blur();
    tab(true);
    expect(document.activeElement).toBe(screen.getByText('Last'));
    (document.activeElement as HTMLElement).blur();
    tab();
    expect(document.activeElement).toBe(screen.getByText('First'));
  });
});

describe('the page behind an open dialog', () => {
  it('is inert while the dialog is open (a screen reader does not read it), and not after', () => {
    renderWithStore(<App />);
    const behind = () => [
      document.querySelector('header.top-bar'),
      document.querySelector('main'),
      screen.getByTestId('status-bar'),
    ];
    screen.getByTestId('settings-button').focus();
    fireEvent.click(screen.getByTestId('settings-button'));
    expect(screen.getByTestId('settings-dialog').closest('[inert]')).toBeNull();
    for (const el of behind()) expect(el?.hasAttribute('inert'), el?.tagName).toBe(true);
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(screen.queryByTestId('settings-dialog')).toBeNull();
    for (const el of behind()) expect(el?.hasAttribute('inert'), el?.tagName).toBe(false);
    // Focus went back to Settings, which it could not have were the top bar still inert.
    expect(document.activeElement).toBe(screen.getByTestId('settings-button'));
  });
});
