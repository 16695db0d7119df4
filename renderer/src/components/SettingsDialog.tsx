import { useState, type FormEvent } from 'react';
import { SettingsSchema, type ServerCheck, type Settings } from '../../../shared/ipc';
import { useStore } from '../store/context';
import { Dialog } from './Dialog';
import { DialogActions, ErrorAlert } from './Feedback';
import { LOCAL_REACH, serverName } from './status-text';

/**
 * The form's local state. Validates with the contract schema; a new server address is
 * checked by the app first (it says whether the server answered), and an address that did
 * not answer is saved only when the user presses Save again ("Save anyway").
 */
function useSettingsForm() {
  const settings = useStore((s) => s.settings);
  const serverError = useStore((s) => s.errors.settings);
  const saveSettings = useStore((s) => s.saveSettings);
  const checkServer = useStore((s) => s.checkServer);
  const [name, setName] = useState(settings?.peer_name ?? '');
  const [server, setServer] = useState(settings?.control_server ?? '');
  const [localError, setLocalError] = useState<string | null>(null);
  const [check, setCheck] = useState<(ServerCheck & { url: string }) | null>(null);
  const [checking, setChecking] = useState(false);

  async function checkThenSave(next: Settings) {
    const url = next.control_server ?? '';
    const isNew = url !== '' && url !== (settings?.control_server ?? '');
    const confirmed = check?.url === url && !check.reachable;
    if (isNew && !confirmed) {
      setChecking(true);
      const result = await checkServer(url);
      setChecking(false);
      setCheck({ ...result, url });
      if (!result.reachable) return;
    }
    await saveSettings(next);
  }

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
    void checkThenSave(parsed.data);
  }
  const pendingCheck = check !== null && check.url === server.trim() ? check : null;
  return {
    name,
    setName,
    server,
    setServer,
    check: pendingCheck,
    checking,
    error: localError ?? serverError,
    submit,
  };
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
        <span className="label">Control server address</span>
        <input
          data-testid="settings-server"
          value={server}
          placeholder="wss://control.example.com"
          spellCheck={false}
          aria-describedby="settings-server-hint"
          onChange={(e) => onServerChange(e.target.value)}
        />
        <span className="hint" id="settings-server-hint">
          Leave empty to play without a server: then only {LOCAL_REACH} can join.
        </span>
      </label>
    </>
  );
}

function CheckResult({ check }: { check: (ServerCheck & { url: string }) | null }) {
  if (!check) return <p className="check-result" role="status" data-testid="settings-check" />;
  const server = serverName(check.url);
  return (
    <p
      className={`check-result ${check.reachable ? 'is-ok' : 'is-bad'}`}
      role="status"
      data-testid="settings-check"
      data-reachable={String(check.reachable)}
    >
      <span aria-hidden="true">{check.reachable ? '✓ ' : '✕ '}</span>
      {check.reachable
        ? `${server} answered.`
        : `${server}: ${check.message} Check the address, or save it anyway.`}
    </p>
  );
}

export function SettingsDialog() {
  const busy = useStore((s) => s.busy.settings === true);
  const openDialog = useStore((s) => s.openDialog);
  const form = useSettingsForm();
  const anyway = form.check !== null && !form.check.reachable;
  return (
    <Dialog title="Settings" testId="settings-dialog" onClose={() => openDialog(null)}>
      <form onSubmit={form.submit} noValidate>
        <SettingsFields
          name={form.name}
          server={form.server}
          onNameChange={form.setName}
          onServerChange={form.setServer}
        />
        <CheckResult check={form.check} />
        <ErrorAlert message={form.error} testId="settings-error" />
        <DialogActions
          onCancel={() => openDialog(null)}
          busy={busy || form.checking}
          submitTestId="settings-save"
        >
          {form.checking ? 'Testing server…' : busy ? 'Saving…' : anyway ? 'Save anyway' : 'Save'}
        </DialogActions>
      </form>
    </Dialog>
  );
}
