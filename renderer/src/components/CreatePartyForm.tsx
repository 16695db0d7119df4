import { useState, type FormEvent } from 'react';
import { useStore } from '../store/context';
import { ErrorAlert } from './Feedback';
import { CheckChoice, TextField } from './FormFields';
import { JoinPolicyField } from './JoinPolicyField';
import { DEFAULT_CREATE_FORM, readCreateForm, type CreateForm } from './party-form';
import { LOCAL_REACH } from '../../../shared/status-words';
import { partiesStayLocal } from './status-text';

/** Host a party: its name and who may join; checked with the shared rules before sending. */
export function CreatePartyForm() {
  const [form, setForm] = useState<CreateForm>(DEFAULT_CREATE_FORM);
  const [errors, setErrors] = useState<Partial<Record<keyof CreateForm, string>>>({});
  const busy = useStore((s) => s.busy.create === true);
  const error = useStore((s) => s.errors.create);
  const createParty = useStore((s) => s.createParty);
  const local = useStore((s) => partiesStayLocal(s.status));
  const edit = <K extends keyof CreateForm>(key: K, value: CreateForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };
  function submit(event: FormEvent) {
    event.preventDefault();
    const read = readCreateForm(form);
    setErrors(read.ok ? {} : read.errors);
    if (read.ok) void createParty(read.value);
  }
  return (
    <form className="card create-party" onSubmit={submit} aria-labelledby="create-title" noValidate>
      <h2 id="create-title" className="section-title">
        Host a party
      </h2>
      <div className="field-row">
        <TextField
          label="Party name"
          testId="create-party-name"
          className="field-grow"
          value={form.name}
          placeholder="Gaming Night"
          onChange={(v) => edit('name', v)}
          error={errors.name}
        />
        <TextField
          label="Max players"
          testId="create-max-players"
          className="field-narrow"
          kind="number"
          value={form.maxPlayers}
          onChange={(v) => edit('maxPlayers', v)}
          error={errors.maxPlayers}
        />
      </div>
      <JoinPolicyField
        value={form.policy}
        onChange={(policy) => edit('policy', policy)}
        testId="create-policy"
      />
      {form.policy === 'password' && (
        <TextField
          label="Password"
          testId="create-password"
          kind="password"
          value={form.password}
          onChange={(v) => edit('password', v)}
          error={errors.password}
        />
      )}
      <CheckChoice testId="create-listed" checked={form.listed} onChange={(v) => edit('listed', v)}>
        List it publicly in Browse (who can join stays as chosen)
      </CheckChoice>
      <CheckChoice
        testId="create-party-hand-over"
        checked={form.handOver}
        onChange={(v) => edit('handOver', v)}
      >
        Keep the party going if I leave (the longest-present member becomes host)
      </CheckChoice>
      {local && (
        <p className="hint" data-testid="create-reach">
          Without a server, only {LOCAL_REACH} can join a party you host.
        </p>
      )}
      <ErrorAlert message={error} />
      <button
        type="submit"
        className="button button-primary"
        data-testid="create-party-button"
        disabled={busy}
      >
        {busy ? 'Creating…' : 'Create party'}
      </button>
    </form>
  );
}
