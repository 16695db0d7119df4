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

/** Copies `text`, and says so next to the button (a polite live region). */
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
    setFeedback(ok ? 'Copied!' : `Copy failed: select ${what} and copy it by hand`);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setFeedback(null), 2500);
  }
  return (
    <span className="copy">
      <button
        type="button"
        className="button button-small"
        data-testid={testId}
        onClick={() => void copy()}
      >
        {label}
      </button>
      <span className="copy-feedback" role="status">
        {feedback}
      </span>
    </span>
  );
}
