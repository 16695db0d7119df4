import { useEffect, useRef } from 'react';
import { useStore } from '../../store/context';
import { ErrorAlert } from '../common/Feedback';
import { CheckChoice, MaxPlayersField, TextField } from '../common/FormFields';
import { PolicyAndPassword } from '../host/JoinPolicyField';
import { DEFAULT_CREATE_FORM, readCreateForm, type CreateForm } from '../host/party-form';
import { createReachHint, partiesStayLocal } from '../status-text';
import { useCheckedForm, type CheckedForm } from '../common/use-checked-form';

type FieldsProps = { create: CheckedForm<CreateForm> };

/** The party's name and how many may be in it. */
function NameAndSize({ create: { form, errors, edit } }: FieldsProps) {
  return (
    <>
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
        <MaxPlayersField
          testId="create-max-players"
          value={form.maxPlayers}
          onChange={(v) => edit('maxPlayers', v)}
          error={errors.maxPlayers}
        />
      </div>
    </>
  );
}

/** Who may join, with its password when it takes one. */
function Access({ create: { form, errors, edit } }: FieldsProps) {
  return (
    <>
      <PolicyAndPassword
        policy={form.policy}
        password={form.password}
        passwordError={errors.password}
        passwordLabel="Password"
        testId="create"
        onPolicy={(policy) => edit('policy', policy)}
        onPassword={(v) => edit('password', v)}
      />
    </>
  );
}

/** Browse lists a server's parties: without one there is nowhere to list it. */
function ListingAndHandOver({ create: { form, edit }, local }: FieldsProps & { local: boolean }) {
  return (
    <>
      {!local && (
        <CheckChoice
          testId="create-listed"
          checked={form.listed}
          onChange={(v) => edit('listed', v)}
        >
          List it publicly in Browse (who can join stays as chosen)
        </CheckChoice>
      )}
      <CheckChoice
        testId="create-party-hand-over"
        checked={form.handOver}
        onChange={(v) => edit('handOver', v)}
      >
        Keep the party going if I leave (the longest-present member becomes host)
      </CheckChoice>
    </>
  );
}

/**
 * "Can't reach … right now … try again in a moment" goes once the server is reached again: it
 * stayed under the form beside a status bar saying Connected. Only on that change: an answer
 * refused while connected stays said.
 */
function useUnreachableGoesOnReconnect(): void {
  const connected = useStore((s) => s.status?.state === 'connected');
  const unreachable = useStore((s) => s.errorCodes.create === 'unreachable');
  const clearError = useStore((s) => s.clearError);
  const was = useRef(connected);
  useEffect(() => {
    if (connected && !was.current && unreachable) clearError('create');
    was.current = connected;
  }, [connected, unreachable, clearError]);
}

/** Host a party: its name and who may join; checked with the shared rules before sending. */
export function CreatePartyForm() {
  const busy = useStore((s) => s.busy.create === true);
  const error = useStore((s) => s.errors.create);
  const createParty = useStore((s) => s.createParty);
  const local = useStore((s) => partiesStayLocal(s.status));
  const reach = useStore((s) => createReachHint(s.status));
  const create = useCheckedForm(DEFAULT_CREATE_FORM, readCreateForm, createParty);
  useUnreachableGoesOnReconnect();
  return (
    <form
      className="card create-party"
      onSubmit={create.submit}
      aria-labelledby="create-title"
      noValidate
    >
      <h2 id="create-title" className="section-title">
        Host a party
      </h2>
      <NameAndSize create={create} />
      <Access create={create} />
      <ListingAndHandOver create={create} local={local} />
      {reach && (
        <p className="hint" data-testid="create-reach">
          {reach}
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
