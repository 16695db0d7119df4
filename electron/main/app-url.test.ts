import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAppPageUrl } from './app-url';

const indexFile = '/opt/LANrage/resources/app.asar/out/renderer/index.html';
const built = { indexFile, devUrl: null };

describe('isAppPageUrl', () => {
  it('accepts the built index.html, with or without a hash or query', () => {
    const url = pathToFileURL(indexFile).href;
    expect(isAppPageUrl(url, built)).toBe(true);
    expect(isAppPageUrl(`${url}#/party`, built)).toBe(true);
    expect(isAppPageUrl(`${url}?x=1`, built)).toBe(true);
  });

  it('refuses other files, other schemes, remote pages and junk', () => {
    expect(isAppPageUrl(pathToFileURL('/tmp/evil.html').href, built)).toBe(false);
    expect(isAppPageUrl(pathToFileURL(`${indexFile}/../../x/index.html`).href, built)).toBe(false);
    expect(isAppPageUrl('https://example.com/index.html', built)).toBe(false);
    expect(
      isAppPageUrl(
        'file://evil-host/opt/LANrage/resources/app.asar/out/renderer/index.html',
        built,
      ),
    ).toBe(false);
    expect(isAppPageUrl('not a url', built)).toBe(false);
    expect(isAppPageUrl('', built)).toBe(false);
  });

  it('in development accepts only the dev server origin', () => {
    const dev = { indexFile, devUrl: 'http://localhost:5173' };
    expect(isAppPageUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isAppPageUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppPageUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isAppPageUrl(pathToFileURL(indexFile).href, dev)).toBe(false);
  });
});
