import { useState, type FormEvent } from 'react';
import { SettingsSchema, type Settings } from '../../../shared/ipc/app-state';
import { useStore } from '../store/context';
import { Dialog } from './common/Dialog';
import { DialogActions, ErrorAlert } from './common/Feedback';
import { CheckChoice } from './common/FormFields';
import { MuteShortcutField } from './MuteShortcutField';
import {
  describedBy,
  ServerCheckResult,
  UnencryptedNote,
  useServerCheck,
} from './ServerCheckResult';
import { localReach } from '../../../shared/status-words';

interface FormValues {
  name: string;
  server: string;
  relayOnly: boolean;
  muteShortcut: string | null;
}

function parseForm({ name, server, relayOnly, muteShortcut }: FormValues) {
  return SettingsSchema.safeParse({
    peer_name: name,
    control_server: server.trim() || null,
    relay_only: relayOnly,
    mute_shortcut: muteShortcut,
  });
}

/**
 * The form's local state. Validates with the contract schema; a new server address is
 * checked by the app first (it says whether the server answered), and an address that did
 * not answer is saved only when the user presses Save again ("Save anyway").
 */
function useSettingsForm() {
  const settings = useStore((s) => s.settings);
  const serverError = useStore((s) => s.errors.settings);
  const saveSettings = useStore((s) => s.saveSettings);
  const [name, setName] = useState(settings?.peer_name ?? '');
  const [server, setServer] = useState(settings?.control_server ?? '');
  const [relayOnly, setRelayOnly] = useState(settings?.relay_only === true);
  const [muteShortcut, setMuteShortcut] = useState(settings?.mute_shortcut ?? null);
  const [localError, setLocalError] = useState<string | null>(null);
  const serverCheck = useServerCheck(server);

  async function checkThenSave(next: Settings) {
    const url = next.control_server ?? '';
    const isNew = url !== '' && url !== (settings?.control_server ?? '');
    if (isNew && !(await serverCheck.mayUse(url))) return;
    await saveSettings(next);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseForm({ name, server, relayOnly, muteShortcut });
    setLocalError(parsed.success ? null : (parsed.error.issues[0]?.message ?? 'Invalid settings'));
    if (parsed.success) void checkThenSave(parsed.data);
  }
  return {
    name,
    setName,
    server,
    setServer,
    relayOnly,
    setRelayOnly,
    muteShortcut,
    setMuteShortcut,
    check: serverCheck.check,
    checking: serverCheck.checking,
    anyway: serverCheck.anyway,
    error: localError ?? serverError,
    submit,
  };
}

interface SettingsFieldsProps extends FormValues {
  setName: (name: string) => void;
  setServer: (server: string) => void;
  setRelayOnly: (relayOnly: boolean) => void;
  setMuteShortcut: (shortcut: string | null) => void;
}

function RelayOnlyChoice({ relayOnly, setRelayOnly }: SettingsFieldsProps) {
  return (
    <CheckChoice testId="settings-relay-only" checked={relayOnly} onChange={setRelayOnly}>
      Hide my address in calls: voice and screen sharing go only through your server's relay, so
      they give the others no address of yours. Without a relay on the server they can't connect.
      Calls and screens already up start over through the relay.
    </CheckChoice>
  );
}

function SettingsFields(props: SettingsFieldsProps) {
  const { name, server, setName: onNameChange, setServer: onServerChange } = props;
  const reach = useStore((s) => localReach(s.status));
  // The party lives on the server in use: moving away from it would strand the party.
  const partyName = useStore((s) => s.party?.name ?? null);
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
          readOnly={partyName !== null}
          aria-describedby={describedBy('settings-server-hint', server, 'settings-server-plain')}
          onChange={(e) => onServerChange(e.target.value)}
        />
        <span className="hint" id="settings-server-hint" data-testid="settings-server-hint">
          {partyName !== null
            ? `You are in ${partyName}: leave it to change the server.`
            : `Leave empty to play without a server: then only ${reach} can join.`}
        </span>
        <UnencryptedNote text={server} id="settings-server-plain" />
      </label>
      <MuteShortcutField value={props.muteShortcut} onChange={props.setMuteShortcut} />
      <RelayOnlyChoice {...props} />
    </>
  );
}

export function SettingsDialog() {
  const busy = useStore((s) => s.busy.settings === true);
  const openDialog = useStore((s) => s.openDialog);
  const form = useSettingsForm();
  return (
    <Dialog title="Settings" testId="settings-dialog" onClose={() => openDialog(null)}>
      <form onSubmit={form.submit} noValidate className="settings-form">
        <SettingsFields {...form} />
        <ServerCheckResult check={form.check} />
        <ErrorAlert message={form.error} testId="settings-error" />
        <DialogActions
          onCancel={() => openDialog(null)}
          busy={busy || form.checking}
          submitTestId="settings-save"
        >
          {form.checking
            ? 'Testing server…'
            : busy
              ? 'Saving…'
              : form.anyway
                ? 'Save anyway'
                : 'Save'}
        </DialogActions>
      </form>
    </Dialog>
  );
}
