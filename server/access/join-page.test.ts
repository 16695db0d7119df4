import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCli } from '../cli/args';
import { NO_QUOTAS } from '../admission/quotas';
import { clockAt, peerDict, TestRig } from '../test-util/support';
import { JOIN_PAGE_BYTES } from './wiring';
import { escapeHtml } from './join-page';
import { inviteLink } from '../../shared/invite';
import { inviteLinkCases } from '../../shared/test-support/invite-links';

const rig = new TestRig();
afterEach(() => rig.cleanup());

function get(port: number, path: string, localAddress?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, localAddress }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        })
        .on('error', reject);
    },
  );
}

async function hostedWithInvite(name: string) {
  const server = await rig.start({ publicUrl: 'https://lan.example.org' });
  const host = await rig.connect();
  await host.hello();
  await host.request({
    type: 'register_party',
    party_id: 'party_webpage',
    name,
    host_peer: peerDict('h', { name: 'Bob' }),
    settings: { join_policy: 'invite_only' },
  });
  const invite = await host.request({ type: 'create_invite', party_id: 'party_webpage' });
  return { server, host, invite };
}

describe('the /join/ page (issue 10)', () => {
  it('shows the public summary and a link that opens LANrage with the invite and this server', async () => {
    const { server, invite } = await hostedWithInvite('Quake night');
    expect(invite.url).toBe(
      `https://lan.example.org/join/party_webpage?invite=${String(invite.token)}`,
    );
    const page = await get(server.port, `/join/party_webpage?invite=${String(invite.token)}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain('Quake night');
    expect(page.body).toContain('Hosted by Bob · 1 of 256 players');
    // The server goes with it, for friends whose LANrage uses another one (or none).
    expect(page.body).toContain(
      `href="lanrage://join/party_webpage?invite=${String(invite.token)}&amp;server=https://lan.example.org"`,
    );
    expect(page.body).not.toContain('<script');
    expect(page.body).not.toContain('203.0.113.42');
  });

  it('escapes what the host typed', async () => {
    const { server, invite } = await hostedWithInvite('<img src=x onerror=alert(1)>');
    const page = await get(server.port, `/join/party_webpage?invite=${String(invite.token)}`);
    expect(page.body).not.toContain('<img');
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('says when the invite is no good, and does not put it in the link', async () => {
    const { server } = await hostedWithInvite('Room');
    const bogus = 'a'.repeat(28);
    const page = await get(server.port, `/join/party_webpage?invite=${bogus}`);
    expect(page.body).toMatch(/expired, been used up or been revoked/);
    expect(page.body).not.toContain(bogus);
    // The party lets in only invited players and is private: nothing of it shows without one.
    for (const path of [`/join/party_webpage?invite=${bogus}`, '/join/party_webpage']) {
      const body = (await get(server.port, path)).body;
      expect(body).toContain('This party only lets in invited players');
      for (const shown of ['Room', 'Bob', 'players</p>']) expect(body, path).not.toContain(shown);
    }
  });

  it('shows a party open to anyone with the link without an invite, and says when one is spent', async () => {
    const { server, host } = await hostedWithInvite('Open room');
    await host.request({
      type: 'update_party',
      party_id: 'party_webpage',
      settings: { join_policy: 'open' },
    });
    const page = await get(server.port, '/join/party_webpage');
    expect(page.body).toContain('Open room');
    expect(page.body).toContain('Anyone with the link can join.');
    const spent = await get(server.port, `/join/party_webpage?invite=${'a'.repeat(28)}`);
    expect(spent.body).toContain('Open room');
    expect(spent.body).toMatch(/This invite has expired, been used up or been revoked/);
  });

  it('spends its address’s snapshot budget: past it 429 with Retry-After, as get_party is refused', async () => {
    // Burst four times the rate: four pages; the clock stands still, so nothing refills.
    const server = await rig.start({
      publicUrl: 'https://lan.example.org',
      quotas: { ...NO_QUOTAS, addressSnapshotBytesPerSecond: JOIN_PAGE_BYTES },
      clock: clockAt(() => 0),
    });
    const member = await rig.connect();
    await member.hello();
    const register = { type: 'register_party', party_id: 'party_webpage', name: 'Probed' };
    await member.request({ ...register, host_peer: peerDict('h') });
    for (let i = 0; i < 4; i++) {
      const probe = await get(server.port, `/join/party_made_up_${i}`);
      expect(probe.status, `page ${i}`).toBe(200);
    }
    const refused = await get(server.port, '/join/party_webpage');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).not.toContain('Probed');
    // The same budget as the connections from that address: a snapshot is refused too.
    expect(await member.request({ type: 'get_party', party_id: 'party_webpage' })).toMatchObject({
      code: 'rate_limited',
    });
    // Another address has its own.
    const other = await get(server.port, '/join/party_webpage', '127.0.0.2');
    expect(other.status).toBe(200);
    expect(other.body).toContain('Probed');
  });

  it('is not served without --public-url', async () => {
    const server = await rig.start();
    expect((await get(server.port, '/join/party_webpage')).status).toBe(426);
  });

  it('--public-url takes an http(s) origin only', () => {
    expect(parseCli(['--public-url', 'https://lan.example.org/'], {}).publicUrl).toBe(
      'https://lan.example.org',
    );
    for (const bad of ['ftp://x.org', 'https://x.org/path', 'not a url']) {
      expect(() => parseCli(['--public-url', bad], {}), bad).toThrow(/--public-url/);
    }
  });
});

describe('the /join/ page reads every form of the link as the app does', () => {
  // The same table as shared/invite.test.ts and the app's paste box and deep links.
  it('answers each with the party (and its token) or the refusal in the app’s words', async () => {
    const publicUrl = 'https://lan.example.org';
    const server = await rig.start({ publicUrl, quotas: NO_QUOTAS });
    const host = await rig.connect();
    await host.hello();
    const register = { type: 'register_party', party_id: 'party_abc', name: 'Table' };
    await host.request({ ...register, host_peer: peerDict('h', { name: 'Bob' }) });
    const invite = await host.request({ type: 'create_invite', party_id: 'party_abc' });
    for (const { form, target, read } of inviteLinkCases(String(invite.token))) {
      // What a browser requests for the link: no fragment, other characters %-encoded.
      const sent = new URL(`${publicUrl}${target}`);
      const page = await get(server.port, sent.pathname + sent.search);
      if ('refused' in read) {
        expect.soft(page.status, form).toBe(400);
        expect.soft(page.body, form).toContain(`<p>${escapeHtml(read.refused)}</p>`);
        expect.soft(page.body, form).not.toContain('Open in LANrage');
      } else {
        expect.soft(page.status, form).toBe(200);
        const link = inviteLink(read.partyId, read.invite, publicUrl);
        expect.soft(page.body, form).toContain(`href="${escapeHtml(link)}"`);
      }
    }
  });
});
