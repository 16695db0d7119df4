/** A microphone that does not open, a send that fails, a description the link refuses. */
import { describe, expect, it } from 'vitest';
import { FakeVoiceNet } from '../test-util/voice-fakes';
import { joinInTurn, pairs } from '../test-util/voice-mesh-support';
import { MIC_ERROR } from './voice-mesh';

describe('VoiceMesh: failures', () => {
  it('a microphone that does not open leaves me out of voice with an error', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    net.noMic.add('alice');
    await net.mesh('alice').join();
    expect(net.view('alice')).toMatchObject({ joined: false, joining: false, error: MIC_ERROR });
    expect(MIC_ERROR).toMatch(/could not open your microphone/i);
    expect(net.sent).toEqual([]);
    net.noMic.delete('alice');
    await net.mesh('alice').join();
    expect(net.view('alice')).toMatchObject({ joined: true, error: null });
  });

  it.each(['unreachable', 'throwing'] as const)(
    'a send that fails (%s) marks that member failed, and only them',
    async (how) => {
      const net = new FakeVoiceNet(['alice', 'bob', 'carol']);
      await joinInTurn(net, 'alice');
      net[how].add('bob');
      await joinInTurn(net, 'bob', 'carol');
      expect(net.view('alice').peers.bob?.state).toBe('failed');
      expect(net.view('alice').peers.carol?.state).toBe('connecting');
      net.link('alice', 'carol').report('connected');
      expect(net.view('alice').peers.carol?.state).toBe('connected');
    },
  );

  it('a description the link refuses marks that member failed', async () => {
    const net = new FakeVoiceNet(['alice', 'bob']);
    const bob = net.mesh('bob');
    await bob.join();
    bob.receive('alice', { kind: 'here', muted: false });
    net.link('bob', 'alice').refuseRemote = true;
    bob.receive('alice', { kind: 'offer', sdp: 'bad' });
    await net.settle();
    expect(net.view('bob').peers.alice?.state).toBe('failed');
    expect(pairs(net, 'answer')).toEqual([]);
  });
});
