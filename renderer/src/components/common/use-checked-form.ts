/**
 * The state every checked form keeps: its fields as typed and the errors the shared rules found.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { FormErrors, FormRead } from '../host/party-form';

export interface CheckedForm<F> {
  form: F;
  errors: FormErrors<F>;
  /** Sets one field and clears its error: the user is fixing it. */
  edit: <K extends keyof F>(key: K, value: F[K]) => void;
  /** Reads the whole form; sends it only when every field passed, else shows each error. */
  submit: (event: FormEvent) => void;
}

/**
 * Focus on `field` with its label in view: focus's own scroll put the input at the top edge
 * of a scrolled dialog, its label ("Display name") just out of view above it. The error under
 * it is brought in first, the label last, so that at worst the label wins.
 */
function focusWithLabel(field: HTMLElement): void {
  field.focus({ preventScroll: true });
  const error = field.getAttribute('aria-describedby')?.split(' ').at(-1);
  const below = error ? document.getElementById(error) : null;
  below?.scrollIntoView({ block: 'nearest' });
  (field.closest('label') ?? field).scrollIntoView({ block: 'nearest' });
}

/**
 * After a refused submit, focus goes to the first field marked invalid: left on the submit
 * button, a keyboard user had to hunt for what to fix, and a screen reader said nothing of it.
 * The marks are there only once the errors render, hence the effect.
 */
export function useFocusFirstInvalid(errors: unknown) {
  const refused = useRef<HTMLFormElement | null>(null);
  useEffect(() => {
    const form = refused.current;
    refused.current = null;
    const field = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (field) focusWithLabel(field);
  }, [errors]);
  return (form: EventTarget) => {
    if (form instanceof HTMLFormElement) refused.current = form;
  };
}

export function useCheckedForm<F, V>(
  initial: F | (() => F),
  read: (form: F) => FormRead<F, V>,
  send: (value: V) => unknown,
): CheckedForm<F> {
  const [form, setForm] = useState<F>(initial);
  const [errors, setErrors] = useState<FormErrors<F>>({});
  const focusInvalidIn = useFocusFirstInvalid(errors);
  const edit = <K extends keyof F>(key: K, value: F[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };
  function submit(event: FormEvent) {
    event.preventDefault();
    const result = read(form);
    setErrors(result.ok ? {} : result.errors);
    if (result.ok) void send(result.value);
    else focusInvalidIn(event.currentTarget);
  }
  return { form, errors, edit, submit };
}
