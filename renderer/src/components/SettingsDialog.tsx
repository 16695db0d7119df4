import { useState, type FormEvent } from 'react';
import { SettingsSchema } from '../../../shared/ipc';
import { useStore } from '../store/context';
import { Dialog } from './Dialog';

export function SettingsDialog() {
  const settings = useStore((s) => s.settings);
  const busy = useStore((s) => s.busy.settings === true);
  const serverError = useStore((s) => s.errors.settings);
  const saveSettings = useStore((s) => s.saveSettings);
  const openDialog = useStore((s) => s.openDialog);
  const [name, setName] = useState(settings?.peer_name ?? '');
  const [server, setServer] = useState(settings?.control_server ?? '');
  const [localError, setLocalError] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = SettingsSchema.safeParse({
      peer_name: name,
      control_server: server.trim() || null,
    });
    if (!parsed.success) {
      setLocalError(parsed.error.issues[0]?.message ?? 'Invalid settings');
      return;
    }
    setLocalError(null);
    void saveSettings(parsed.data);
  }
  const error = localError ?? serverError;
  return (
    <Dialog title="Settings" testId="settings-dialog" onClose={() => openDialog(null)}>
      <form onSubmit={submit} noValidate>
        <label className="field">
          <span className="label">Display name</span>
          <input
            data-testid="settings-name"
            value={name}
            maxLength={64}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="label">Control server URL</span>
          <input
            data-testid="settings-server"
            value={server}
            placeholder="wss://control.example.com/ws"
            spellCheck={false}
            onChange={(e) => setServer(e.target.value)}
          />
          <span className="hint">
            Leave empty for local mode: parties shared only with LANrage instances on this machine.
          </span>
        </label>
        {error && (
          <p className="error" role="alert" data-testid="settings-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => openDialog(null)}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            data-testid="settings-save"
            disabled={busy}
          >
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
