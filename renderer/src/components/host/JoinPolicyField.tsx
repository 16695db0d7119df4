import { useId } from 'react';
import type { JoinPolicy } from '../../../../shared/party/settings';
import { JOIN_POLICY_HINT, JOIN_POLICY_LABEL, JOIN_POLICIES } from './access-text';
import { TextField } from '../common/FormFields';

interface JoinPolicyFieldProps {
  value: JoinPolicy;
  onChange: (policy: JoinPolicy) => void;
  /** Prefixes the radios' test ids, so two forms on one screen stay apart. */
  testId: string;
  disabled?: boolean;
}

/** "Who can join": one radio per join policy, each with a line saying what it means. */
export function JoinPolicyField({ value, onChange, testId, disabled }: JoinPolicyFieldProps) {
  const name = useId();
  const hintId = useId();
  return (
    <fieldset className="choices policy-choices" disabled={disabled} aria-describedby={hintId}>
      <legend className="label">Who can join</legend>
      {JOIN_POLICIES.map((policy) => (
        <label key={policy} className="choice">
          <input
            type="radio"
            name={name}
            value={policy}
            data-testid={`${testId}-${policy}`}
            checked={value === policy}
            onChange={() => onChange(policy)}
          />
          <span>{JOIN_POLICY_LABEL[policy]}</span>
        </label>
      ))}
      {/* What the chosen rule means, said once (and read with the group). */}
      <p id={hintId} className="hint policy-hint" data-testid={`${testId}-hint`}>
        {JOIN_POLICY_HINT[value]}
      </p>
    </fieldset>
  );
}

interface PolicyAndPasswordProps {
  policy: JoinPolicy;
  password: string;
  passwordError: string | undefined;
  passwordLabel: string;
  /** Prefixes the test ids: `${testId}-policy-…` and `${testId}-password`. */
  testId: string;
  onPolicy: (policy: JoinPolicy) => void;
  onPassword: (password: string) => void;
}

/** "Who can join" and, for the password policy, its password (create and settings alike). */
export function PolicyAndPassword(props: PolicyAndPasswordProps) {
  return (
    <>
      <JoinPolicyField
        value={props.policy}
        onChange={props.onPolicy}
        testId={`${props.testId}-policy`}
      />
      {props.policy === 'password' && (
        <TextField
          label={props.passwordLabel}
          testId={`${props.testId}-password`}
          kind="password"
          value={props.password}
          onChange={props.onPassword}
          error={props.passwordError}
        />
      )}
    </>
  );
}
