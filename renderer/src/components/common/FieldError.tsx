/**
 * A form field's own error, tied to its input by aria-describedby, and said when it appears:
 * when the error is on the field the user is already in (Enter in it), focus does not move, so
 * the description alone would never be read. The polite region is in the page from the start,
 * empty: a region added with its text is often not read.
 */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return (
    <span className="field-error-live" aria-live="polite" data-testid={`${id}-live`}>
      {message && (
        <span id={id} className="field-error" data-testid={id}>
          {message}
        </span>
      )}
    </span>
  );
}

/** The input's side of FieldError: marked invalid and described by the message. */
export function invalidProps(
  id: string,
  message: string | undefined,
): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  return message ? { 'aria-invalid': true, 'aria-describedby': id } : {};
}
