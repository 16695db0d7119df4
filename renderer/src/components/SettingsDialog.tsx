import { useState, type FormEvent } from 'react';
import { SettingsSchema } from '../../../shared/ipc';
import { useStore } from '../store/context';
import { Dialog } from './Dialog';
import { DialogActions, ErrorAlert } from './Feedback';

/** The form's local state; validates with the contract schema before asking the app to save. */
function useSettingsForm() {
  const settings = useStore((s) => s.settings);
  const serverError = useStore((s) => s.errors.settings);
  const saveSettings = useStore((s) => s.saveSettings);
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
  return { name, setName, server, setServer, error: localError ?? serverError, submit };
}

interface SettingsFieldsProps {
  name: string;
  server: string;
  onNameChange: (name: string) => void;
  onServerChange: (server: string) => void;
}

function SettingsFields({ name, server, onNameChange, onServerChange }: SettingsFieldsProps) {
  return (
    <>
      <label className="field">
        <span className="label">Display name</span>
        <input
          data-testid="settings-name"
          value={name}
          onChange={(e) => onNameChange(e.target.value)}
        />
      </label>
      <label className="field">
        <span className="label">Control server URL</span>
        <input
          data-testid="settings-server"
          value={server}
          placeholder="wss://control.example.com/ws"
          spellCheck={false}
          onChange={(e) => onServerChange(e.target.value)}
        />
        <span className="hint">
          Leave empty for local mode: parties shared only with LANrage instances on this machine.
        </span>
      </label>
    </>
  );
}

export function SettingsDialog() {
  const busy = useStore((s) => s.busy.settings === true);
  const openDialog = useStore((s) => s.openDialog);
  const form = useSettingsForm();
  return (
    <Dialog title="Settings" testId="settings-dialog" onClose={() => openDialog(null)}>
      <form onSubmit={form.submit} noValidate>
        <SettingsFields
          name={form.name}
          server={form.server}
          onNameChange={form.setName}
          onServerChange={form.setServer}
        />
        <ErrorAlert message={form.error} testId="settings-error" />
        <DialogActions onCancel={() => openDialog(null)} busy={busy} submitTestId="settings-save">
          {busy ? 'Saving…' : 'Save'}
        </DialogActions>
      </form>
    </Dialog>
  );
}
