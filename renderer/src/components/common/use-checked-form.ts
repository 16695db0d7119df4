/**
 * The state every checked form keeps: its fields as typed and the errors the shared rules found.
 */
import { useState, type FormEvent } from 'react';
import type { FormErrors, FormRead } from '../host/party-form';

export interface CheckedForm<F> {
  form: F;
  errors: FormErrors<F>;
  /** Sets one field and clears its error: the user is fixing it. */
  edit: <K extends keyof F>(key: K, value: F[K]) => void;
  /** Reads the whole form; sends it only when every field passed, else shows each error. */
  submit: (event: FormEvent) => void;
}

export function useCheckedForm<F, V>(
  initial: F | (() => F),
  read: (form: F) => FormRead<F, V>,
  send: (value: V) => unknown,
): CheckedForm<F> {
  const [form, setForm] = useState<F>(initial);
  const [errors, setErrors] = useState<FormErrors<F>>({});
  const edit = <K extends keyof F>(key: K, value: F[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };
  function submit(event: FormEvent) {
    event.preventDefault();
    const result = read(form);
    setErrors(result.ok ? {} : result.errors);
    if (result.ok) void send(result.value);
  }
  return { form, errors, edit, submit };
}
