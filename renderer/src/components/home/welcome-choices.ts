import { SettingsSchema, type Settings } from '../../../../shared/ipc/app-state';

export type PlayMode = 'server' | 'local';

export type WelcomeResult = { ok: true; settings: Settings } | { ok: false; message: string };

/** The welcome's two answers as settings, validated by the contract's own schema. */
export function welcomeSettings(name: string, mode: PlayMode, server: string): WelcomeResult {
  if (mode === 'server' && server.trim() === '') {
    return { ok: false, message: 'Type the server address, or choose "Without a server".' };
  }
  const parsed = SettingsSchema.safeParse({
    peer_name: name,
    control_server: mode === 'server' ? server.trim() : null,
  });
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'Invalid' };
  return { ok: true, settings: parsed.data };
}
