import { describe, expect, it } from 'vitest';
import { DeepLinkQueue, findDeepLink, PROTOCOL } from './deep-links';

describe('findDeepLink', () => {
  it('finds the lanrage:// argument wherever Chromium put it', () => {
    expect(PROTOCOL).toBe('lanrage');
    const argv = ['/opt/LANrage/lanrage', '--no-sandbox', 'lanrage://join/party_abc123', '--foo'];
    expect(findDeepLink(argv)).toBe('lanrage://join/party_abc123');
    expect(findDeepLink(['C:\\LANrage.exe', 'LANRAGE://join/x'])).toBe('LANRAGE://join/x');
  });

  it('returns null when there is no link', () => {
    expect(findDeepLink(['/opt/LANrage/lanrage', '--hidden'])).toBeNull();
    expect(findDeepLink([])).toBeNull();
  });
});

describe('DeepLinkQueue', () => {
  it('holds links until ready, then delivers them in order, then passes straight through', () => {
    const queue = new DeepLinkQueue();
    const got: string[] = [];
    queue.push('lanrage://join/a');
    queue.push('lanrage://join/b');
    expect(got).toEqual([]);
    queue.ready((link) => got.push(link));
    expect(got).toEqual(['lanrage://join/a', 'lanrage://join/b']);
    queue.push('lanrage://join/c');
    expect(got).toEqual(['lanrage://join/a', 'lanrage://join/b', 'lanrage://join/c']);
  });
});
