import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VOICE_VOLUME,
  MAX_VOICE_VOLUMES,
  VoiceVolumesSchema,
  volumeOf,
  withVolume,
} from './voice-volume';

describe('voice volumes', () => {
  it('a member never set plays at the default; one set plays at its own', () => {
    const volumes = withVolume({}, 'peer_bob', 30);
    expect(volumeOf(volumes, 'peer_bob')).toBe(30);
    expect(volumeOf(volumes, 'peer_carol')).toBe(DEFAULT_VOICE_VOLUME);
    // An id that is an Object method's name is a member like any other.
    expect(volumeOf(volumes, 'constructor')).toBe(DEFAULT_VOICE_VOLUME);
  });

  it('setting the default forgets the member; setting again moves it to the newest', () => {
    const volumes = withVolume(withVolume({}, 'peer_bob', 30), 'peer_carol', 0);
    expect(withVolume(volumes, 'peer_bob', DEFAULT_VOICE_VOLUME)).toEqual({ peer_carol: 0 });
    expect(Object.keys(withVolume(volumes, 'peer_bob', 50))).toEqual(['peer_carol', 'peer_bob']);
  });

  it('past the cap the member set longest ago is forgotten, never the one just set', () => {
    let volumes = {};
    for (let i = 0; i < MAX_VOICE_VOLUMES; i += 1) volumes = withVolume(volumes, `peer_${i}`, 10);
    volumes = withVolume(volumes, 'peer_new', 20);
    expect(Object.keys(volumes)).toHaveLength(MAX_VOICE_VOLUMES);
    expect(volumeOf(volumes, 'peer_0')).toBe(DEFAULT_VOICE_VOLUME);
    expect(volumeOf(volumes, 'peer_1')).toBe(10);
    expect(volumeOf(volumes, 'peer_new')).toBe(20);
    expect(VoiceVolumesSchema.safeParse(volumes).success).toBe(true);
  });

  it('the schema takes whole percents from 0 to 100 by peer id, and no more members than the cap', () => {
    expect(VoiceVolumesSchema.safeParse({ peer_bob: 0, peer_carol: 100 }).success).toBe(true);
    for (const bad of [
      { peer_bob: 101 },
      { peer_bob: -1 },
      { peer_bob: 0.5 },
      { 'no spaces': 5 },
    ]) {
      expect(VoiceVolumesSchema.safeParse(bad).success).toBe(false);
    }
    const many = Object.fromEntries(
      Array.from({ length: MAX_VOICE_VOLUMES + 1 }, (_, i) => [`peer_${i}`, 5]),
    );
    expect(VoiceVolumesSchema.safeParse(many).success).toBe(false);
  });
});
