import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allowsPermission, type PermissionAsk } from './permissions';

const page = { indexFile: '/opt/LANrage/out/renderer/index.html', devUrl: null };
const appUrl = pathToFileURL(page.indexFile).href;

const ask = (over: Partial<PermissionAsk>): PermissionAsk => ({
  permission: 'media',
  requestingUrl: appUrl,
  mediaTypes: ['audio'],
  ...over,
});

describe('allowsPermission', () => {
  it("lets the app's own page open the microphone", () => {
    expect(allowsPermission(ask({}), page)).toBe(true);
  });

  it('refuses the camera, or the camera with the microphone', () => {
    expect(allowsPermission(ask({ mediaTypes: ['video'] }), page)).toBe(false);
    expect(allowsPermission(ask({ mediaTypes: ['audio', 'video'] }), page)).toBe(false);
  });

  it('refuses a media ask that names no kind', () => {
    expect(allowsPermission(ask({ mediaTypes: [] }), page)).toBe(false);
    expect(allowsPermission(ask({ mediaTypes: undefined }), page)).toBe(false);
  });

  it("lets the app's own page capture the screen, without its sound", () => {
    const screen = { permission: 'display-capture' };
    expect(allowsPermission(ask({ ...screen, mediaTypes: ['video'] }), page)).toBe(true);
    expect(allowsPermission(ask({ ...screen, mediaTypes: ['video', 'audio'] }), page)).toBe(false);
    expect(allowsPermission(ask({ ...screen, mediaTypes: ['audio'] }), page)).toBe(false);
    const other = pathToFileURL('/tmp/evil.html').href;
    const elsewhere = ask({ ...screen, mediaTypes: ['video'], requestingUrl: other });
    expect(allowsPermission(elsewhere, page)).toBe(false);
  });

  it("lets the app's own page go full screen (a watched screen), and no other page", () => {
    const full = { permission: 'fullscreen', mediaTypes: undefined };
    expect(allowsPermission(ask(full), page)).toBe(true);
    const other = pathToFileURL('/tmp/evil.html').href;
    expect(allowsPermission(ask({ ...full, requestingUrl: other }), page)).toBe(false);
    expect(allowsPermission(ask({ ...full, requestingUrl: undefined }), page)).toBe(false);
  });

  it('refuses every other permission (and names off the prototype)', () => {
    for (const permission of ['notifications', 'geolocation', 'clipboard-read', 'toString']) {
      expect(allowsPermission(ask({ permission }), page)).toBe(false);
    }
  });

  it('refuses any other page, and an ask that does not say which page', () => {
    const other = pathToFileURL('/tmp/evil.html').href;
    expect(allowsPermission(ask({ requestingUrl: other }), page)).toBe(false);
    expect(allowsPermission(ask({ requestingUrl: 'https://example.com/' }), page)).toBe(false);
    expect(allowsPermission(ask({ requestingUrl: undefined }), page)).toBe(false);
  });

  it("in development, the dev server's origin only", () => {
    const dev = { ...page, devUrl: 'http://localhost:5173/' };
    expect(allowsPermission(ask({ requestingUrl: 'http://localhost:5173/' }), dev)).toBe(true);
    expect(allowsPermission(ask({ requestingUrl: 'http://localhost:5174/' }), dev)).toBe(false);
  });
});
