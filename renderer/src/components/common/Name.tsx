/**
 * A user-chosen name (a member's, a party's: up to 64 characters) cut to two lines with "…"
 * (styles/names.css). The text stays whole in the page, so screen readers read all of it; the
 * title shows it on hover, and focus in what holds it (a row's button, a focusable list) lifts
 * the cut for keyboard users.
 */
export function Name({
  text,
  className,
  testId,
  as: Tag = 'span',
}: {
  text: string;
  className?: string;
  testId?: string;
  as?: 'span' | 'strong';
}) {
  return (
    <Tag
      className={`name-clamp${className ? ` ${className}` : ''}`}
      data-testid={testId}
      title={text}
    >
      {text}
    </Tag>
  );
}
