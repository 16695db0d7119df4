import { useStore } from '../../store/context';
import { BansList } from './BansList';
import { Dialog } from '../common/Dialog';
import { DialogActions, ErrorAlert } from '../common/Feedback';
import { CheckChoice, MaxPlayersField } from '../common/FormFields';
import { PolicyAndPassword } from './JoinPolicyField';
import { readSettingsForm, settingsFormOf, type SettingsForm } from './party-form';
import { useCheckedForm, type CheckedForm } from '../common/use-checked-form';

interface FieldsProps {
  settings: CheckedForm<SettingsForm>;
  hasPassword: boolean;
}

/** Who may join and the limit; a password field only for the password policy. */
function AccessFields({ settings: { form, errors, edit }, hasPassword }: FieldsProps) {
  return (
    <>
      <MaxPlayersField
        testId="settings-max-players"
        value={form.maxPlayers}
        onChange={(v) => edit('maxPlayers', v)}
        error={errors.maxPlayers}
      />
      <PolicyAndPassword
        policy={form.policy}
        password={form.password}
        passwordError={errors.password}
        passwordLabel={hasPassword ? 'New password (blank: keep it)' : 'Password'}
        testId="settings"
        onPolicy={(policy) => edit('policy', policy)}
        onPassword={(v) => edit('password', v)}
      />
    </>
  );
}

/** The listing, the lock and what happens when the host leaves. */
function PartyChoices({ settings: { form, edit } }: { settings: CheckedForm<SettingsForm> }) {
  return (
    <>
      <CheckChoice
        testId="settings-listed"
        checked={form.listed}
        onChange={(v) => edit('listed', v)}
      >
        List it publicly
      </CheckChoice>
      <CheckChoice
        testId="settings-locked"
        checked={form.locked}
        onChange={(v) => edit('locked', v)}
      >
        Locked: no one new can join, not even with an invite
      </CheckChoice>
      <CheckChoice
        testId="settings-hand-over"
        checked={form.handOver}
        onChange={(v) => edit('handOver', v)}
      >
        Keep the party going if I leave
      </CheckChoice>
    </>
  );
}

/** The host changes who may join, the limit, the listing and the lock; bans are undone here. */
export function PartySettingsDialog() {
  const current = useStore((s) => s.party?.settings);
  const busy = useStore((s) => s.busy.party_settings === true);
  const error = useStore((s) => s.errors.party_settings);
  const save = useStore((s) => s.updatePartySettings);
  const openDialog = useStore((s) => s.openDialog);
  // The server requires a password for this policy, so the party has one.
  const hasPassword = current?.join_policy === 'password';
  const settings = useCheckedForm(
    () => settingsFormOf(current),
    (form) => readSettingsForm(form, hasPassword),
    save,
  );
  return (
    <Dialog
      title="Party settings"
      testId="party-settings-dialog"
      onClose={() => openDialog(null)}
      wide
    >
      <form onSubmit={settings.submit} noValidate className="party-settings-form">
        <AccessFields settings={settings} hasPassword={hasPassword} />
        <PartyChoices settings={settings} />
        <ErrorAlert message={error} />
        <DialogActions
          onCancel={() => openDialog(null)}
          busy={busy}
          submitTestId="party-settings-save"
        >
          {busy ? 'Saving…' : 'Save'}
        </DialogActions>
      </form>
      <BansList />
    </Dialog>
  );
}
