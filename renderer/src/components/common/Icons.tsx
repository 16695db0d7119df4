/**
 * Icons drawn inline rather than as emoji: 🔒 and 🔑 need a colour-emoji font, which many
 * Linux desktops (and Debian without fonts-noto-color-emoji) lack, and they showed as empty
 * boxes. Decoration only (aria-hidden): the word beside each says the same. Presentation
 * attributes, not `style`: the page's Content-Security-Policy allows no inline styles.
 */
const ICON = {
  className: 'icon',
  width: '1em',
  height: '1em',
  viewBox: '0 0 16 16',
  'aria-hidden': true,
  focusable: 'false',
} as const;

export function LockIcon() {
  return (
    <svg {...ICON} data-icon="lock">
      <path d="M5 7.5V5a3 3 0 0 1 6 0v2.5" fill="none" stroke="currentColor" strokeWidth="1.75" />
      <rect x="2.5" y="7" width="11" height="8" rx="1.5" fill="currentColor" />
    </svg>
  );
}

export function KeyIcon() {
  return (
    <svg {...ICON} data-icon="key">
      <g fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round">
        <circle cx="4.75" cy="8" r="2.75" />
        <path d="M7.5 8H14.5M12.5 8v2.5M14.5 8v2" />
      </g>
    </svg>
  );
}
