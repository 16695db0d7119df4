/**
 * How loud each other member's voice plays on this PC: the listener's own choice, kept in
 * config.json (`voice_volumes`, by peer id, which stays the same across parties) so that a
 * friend turned down stays down. One schema for the file, the IPC and the panel.
 */
import { z } from 'zod';
import { IdSchema } from '../values/ids';

/** Percent of the voice as it arrives; a browser's audio output cannot go above 100 %. */
export const VoiceVolumeSchema = z.number().int().min(0).max(100);
export const DEFAULT_VOICE_VOLUME = 100;

/** Members remembered at most; setting one more forgets the one set longest ago. */
export const MAX_VOICE_VOLUMES = 500;

export const VoiceVolumesSchema = z
  .record(IdSchema, VoiceVolumeSchema)
  .refine((volumes) => Object.keys(volumes).length <= MAX_VOICE_VOLUMES, {
    message: `must name at most ${MAX_VOICE_VOLUMES} members`,
  });
export type VoiceVolumes = Readonly<Record<string, number>>;

export function volumeOf(volumes: VoiceVolumes, peerId: string): number {
  return Object.hasOwn(volumes, peerId)
    ? (volumes[peerId] ?? DEFAULT_VOICE_VOLUME)
    : DEFAULT_VOICE_VOLUME;
}

/**
 * The volumes with `peerId`'s set: last in order (the newest), the default not stored, and the
 * oldest forgotten past the cap.
 */
export function withVolume(volumes: VoiceVolumes, peerId: string, volume: number): VoiceVolumes {
  const entries = Object.entries(volumes).filter(([id]) => id !== peerId);
  if (volume !== DEFAULT_VOICE_VOLUME) entries.push([peerId, volume]);
  return Object.fromEntries(entries.slice(-MAX_VOICE_VOLUMES));
}
