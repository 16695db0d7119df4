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

/**
 * Skip keeps the settings as they are, except a name typed before it: Skip passes the
 * questions, it does not take back what was answered. A name the rule refuses is dropped
 * (Skip never stops at an error). null: nothing to change.
 */
export function skippedSettings(name: string, current: Settings | null): Settings | null {
  if (!current || name === current.peer_name) return null;
  const parsed = SettingsSchema.safeParse({ ...current, peer_name: name });
  return parsed.success && parsed.data.peer_name !== current.peer_name ? parsed.data : null;
}
