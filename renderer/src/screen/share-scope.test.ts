import { describe, expect, it } from 'vitest';
import { shareScope } from './share-scope';

const CHROME = 'AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const ELECTRON = `${CHROME.replace('Safari', 'Electron/39.2.0 Safari')}`;

describe('shareScope', () => {
  it.each([
    [
      'the desktop app on Windows',
      `Mozilla/5.0 (Windows NT 10.0; Win64; x64) ${ELECTRON}`,
      'main-screen',
    ],
    ['the desktop app on Linux', `Mozilla/5.0 (X11; Linux x86_64) ${ELECTRON}`, 'main-screen'],
    [
      'the desktop app on macOS',
      `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) ${ELECTRON}`,
      'chosen',
    ],
    ['a browser (headless mode)', `Mozilla/5.0 (X11; Linux x86_64) ${CHROME}`, 'chosen'],
    ['a browser named like it', `Mozilla/5.0 (X11; Linux x86_64) ${CHROME} NotElectron`, 'chosen'],
  ])('%s', (_, userAgent, scope) => {
    expect(shareScope(userAgent)).toBe(scope);
  });
});
