import { describe, expect, it } from 'vitest';
import { FakePeerLink, tick } from '../test-util/fake-peer-link';
import { LinkSession, MAX_PENDING_CANDIDATES, type Relay } from './link-session';

type Signal = { kind: string };

function session() {
  const changes: string[] = [];
  const s = new LinkSession<Signal>((changed) => changes.push(changed.state));
  const link = new FakePeerLink('me', 'them', { onIceCandidate: () => {}, onState: () => {} });
  s.open(() => link);
  return { s, link, changes };
}

const refusing: Relay<Signal> = () => Promise.resolve(false);
const candidate = (text: string) => ({ candidate: text, sdp_mid: '0', sdp_m_line_index: 0 });

describe('LinkSession', () => {
  it('a signal that does not get there fails a link still being set up', async () => {
    const { s, changes } = session();
    s.send(refusing, 'them', { kind: 'offer' });
    await tick();
    expect(s.state).toBe('failed');
    expect(changes).toEqual(['failed']);
  });

  it('a connected link keeps the state it reports when one of its signals is lost', async () => {
    const { s, changes } = session();
    s.setState('connected');
    s.send(refusing, 'them', { kind: 'mute' });
    await tick();
    expect(s.state).toBe('connected');
    expect(changes).toEqual(['connected']);
  });

  it('a link marked failed that connects after all is connected', () => {
    const { s, changes } = session();
    s.fail();
    s.setState('connected');
    expect(s.state).toBe('connected');
    expect(changes).toEqual(['failed', 'connected']);
  });

  it('a closed link reports for nobody and runs no more steps', async () => {
    const { s, link, changes } = session();
    s.close();
    s.setState('connected');
    s.describeRemote('offer', 'late');
    await tick();
    await tick();
    expect(changes).toEqual([]);
    expect(link.closed).toBe(true);
    expect(link.calls).toEqual([]);
  });

  it('a link that cannot be made is failed', () => {
    const changes: string[] = [];
    const s = new LinkSession<Signal>((changed) => changes.push(changed.state));
    s.open(() => {
      throw new Error('no more connections');
    });
    expect([s.link, s.state, changes]).toEqual([null, 'failed', ['failed']]);
  });

  it('a step that fails fails the link, and the steps after it never run', async () => {
    const { s, link } = session();
    link.refuseRemote = true;
    s.describeRemote('answer', 'bad');
    s.run(() => link.createOffer().then(() => undefined));
    for (let i = 0; i < 4; i += 1) await tick();
    expect(s.state).toBe('failed');
    expect(link.calls).toEqual([]);
  });

  it('candidates wait for the description, then go in order, at most the cap', async () => {
    const { s, link } = session();
    for (let i = 0; i < MAX_PENDING_CANDIDATES + 5; i += 1) s.addCandidate(candidate(`c${i}`));
    s.describeRemote('offer', 'theirs');
    s.addCandidate(candidate('after'));
    for (let i = 0; i < 4; i += 1) await tick();
    const expected = Array.from({ length: MAX_PENDING_CANDIDATES }, (_, i) => `candidate c${i}`);
    expect(link.calls).toEqual(['remote offer: theirs', ...expected, 'candidate after']);
  });
});
