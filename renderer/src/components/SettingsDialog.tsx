import { useState, type FormEvent } from 'react';
import { SettingsSchema, type Settings } from '../../../shared/ipc/app-state';
import { useStore } from '../store/context';
import { Dialog } from './common/Dialog';
import { DialogActions, ErrorAlert } from './common/Feedback';
import { CheckChoice } from './common/FormFields';
import { useFocusFirstInvalid } from './common/use-checked-form';
import { MuteShortcutField } from './MuteShortcutField';
import {
  describedBy,
  ServerCheckResult,
  UnencryptedNote,
  useServerCheck,
} from './ServerCheckResult';
import { localReach } from '../../../shared/status-words';
import { Name } from './common/Name';

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

type SettingsField = 'name' | 'server';

/** The field a schema issue is about (by its path): that field is marked and takes focus. */
const FIELD_OF: Partial<Record<string, SettingsField>> = {
  peer_name: 'name',
  control_server: 'server',
};

/** The form's own check: its message, the field at fault, and focus moved to that field. */
function useLocalCheck() {
  const [error, setError] = useState<{ message: string; field: SettingsField | null } | null>(null);
  const focusInvalidIn = useFocusFirstInvalid(error);
  function check(event: FormEvent, values: FormValues): Settings | null {
    const parsed = parseForm(values);
    if (parsed.success) {
      setError(null);
      return parsed.data;
    }
    const issue = parsed.error.issues[0];
    const field = FIELD_OF[String(issue?.path[0])] ?? null;
    setError({ message: issue?.message ?? 'Invalid settings', field });
    focusInvalidIn(event.currentTarget);
    return null;
  }
  return { error, check };
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
  const local = useLocalCheck();
  const serverCheck = useServerCheck(server);

  async function checkThenSave(next: Settings) {
    const url = next.control_server ?? '';
    const isNew = url !== '' && url !== (settings?.control_server ?? '');
    if (isNew && !(await serverCheck.mayUse(url))) return;
    await saveSettings(next);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = local.check(event, { name, server, relayOnly, muteShortcut });
    if (next) void checkThenSave(next);
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
    error: local.error?.message ?? serverError,
    wrong: local.error?.field ?? null,
    submit,
  };
}

interface SettingsFieldsProps extends FormValues {
  setName: (name: string) => void;
  setServer: (server: string) => void;
  setRelayOnly: (relayOnly: boolean) => void;
  setMuteShortcut: (shortcut: string | null) => void;
  /** The field the form's own check refused, described by the error under it. */
  wrong: SettingsField | null;
  error: string | undefined;
}

/**
 * The error, under the field it is about, else under the form (the server's answer). At 360 px
 * it was always under the form: with focus moved to the name field, the reason was out of
 * sight below the fold.
 */
function SettingsError({ at, props }: { at: SettingsField | null; props: SettingsFieldsProps }) {
  if (props.wrong !== at) return null;
  return <ErrorAlert message={props.error} id="settings-error" testId="settings-error" />;
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

/** The server's address, read-only in a party: the party lives on the server in use. */
function ServerField({ server, setServer, wrong }: SettingsFieldsProps) {
  const reach = useStore((s) => localReach(s.status));
  const partyName = useStore((s) => s.party?.name ?? null);
  const hints = describedBy('settings-server-hint', server, 'settings-server-plain');
  return (
    <label className="field">
      <span className="label">Control server address</span>
      <input
        data-testid="settings-server"
        value={server}
        placeholder="wss://control.example.com"
        spellCheck={false}
        readOnly={partyName !== null}
        aria-invalid={wrong === 'server' ? true : undefined}
        aria-describedby={wrong === 'server' ? `${hints ?? ''} settings-error`.trim() : hints}
        onChange={(e) => setServer(e.target.value)}
      />
      <span className="hint" id="settings-server-hint" data-testid="settings-server-hint">
        {partyName !== null ? (
          <>
            You are in <Name text={partyName} className="name-inline" />: leave it to change the
            server.
          </>
        ) : (
          `Leave empty to play without a server: then only ${reach} can join.`
        )}
      </span>
      <UnencryptedNote text={server} id="settings-server-plain" />
    </label>
  );
}

function SettingsFields(props: SettingsFieldsProps) {
  const { name, setName, wrong } = props;
  return (
    <>
      <label className="field">
        <span className="label">Display name</span>
        <input
          data-testid="settings-name"
          value={name}
          aria-invalid={wrong === 'name' ? true : undefined}
          aria-describedby={wrong === 'name' ? 'settings-error' : undefined}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <SettingsError at="name" props={props} />
      <ServerField {...props} />
      <SettingsError at="server" props={props} />
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
        <SettingsError at={null} props={form} />
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
