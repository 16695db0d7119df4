/**
 * Labelled inputs the party forms share: each shows its own error, tied to it for screen readers.
 */
import type { ReactNode } from 'react';
import { FieldError, invalidProps } from './FieldError';

interface TextFieldProps {
  label: string;
  /** Also names the error (`<testId>-error`). */
  testId: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  kind?: 'text' | 'number' | 'password';
  placeholder?: string;
  className?: string;
}

export function TextField(props: TextFieldProps) {
  const { label, testId, value, onChange, error, kind = 'text', placeholder, className } = props;
  const errorId = `${testId}-error`;
  return (
    <label className={className ? `field ${className}` : 'field'}>
      <span className="label">{label}</span>
      <input
        type={kind}
        inputMode={kind === 'number' ? 'numeric' : undefined}
        autoComplete={kind === 'password' ? 'new-password' : undefined}
        data-testid={testId}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        {...invalidProps(errorId, error)}
      />
      <FieldError id={errorId} message={error} />
    </label>
  );
}

interface CheckChoiceProps {
  testId: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
}

/** A checkbox with its sentence, in the bordered box the choices use. */
export function CheckChoice({ testId, checked, onChange, children }: CheckChoiceProps) {
  return (
    <label className="choice">
      <input
        type="checkbox"
        data-testid={testId}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
      />
      <span>{children}</span>
    </label>
  );
}

/** The party's player limit (create and settings alike). */
export function MaxPlayersField(props: {
  testId: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
}) {
  return <TextField label="Max players" className="field-narrow" kind="number" {...props} />;
}
