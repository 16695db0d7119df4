import { useEffect, useRef, useState } from 'react';
import { copyText } from './copy-text';

interface CopyButtonProps {
  text: string;
  /** The button's words, e.g. "Copy ID". */
  label: string;
  /** What was copied, for the failure message ("the link"). */
  what: string;
  testId: string;
}

const COPIED = 'Copied!';

/**
 * The button's face: its label, or "Copied!" in the same place. Both are laid out, one
 * hidden, so the button keeps its width and nothing beside it moves. visibility: hidden keeps
 * the hidden one out of the button's accessible name, which is the shown one.
 */
function Face({ label, copied }: { label: string; copied: boolean }) {
  return (
    <span className="copy-face">
      <span data-shown={!copied}>{label}</span>
      <span data-shown={copied}>{COPIED}</span>
    </span>
  );
}

/**
 * Copies `text`, and says so on the button (announced by a polite live region); a failure is
 * said next to it, where there is room for what to do instead.
 */
export function CopyButton({ text, label, what, testId }: CopyButtonProps) {
  const [feedback, setFeedback] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  async function copy() {
    const ok = await copyText(text);
    setFeedback(ok ? COPIED : `Copy failed: select ${what} and copy it by hand`);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setFeedback(null), 2500);
  }
  const copied = feedback === COPIED;
  return (
    <span className="copy">
      <button
        type="button"
        className="button button-small"
        data-testid={testId}
        onClick={() => void copy()}
      >
        <Face label={label} copied={copied} />
      </button>
      <span className={copied ? 'visually-hidden' : 'copy-feedback'} role="status">
        {feedback}
      </span>
    </span>
  );
}
