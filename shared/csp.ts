/**
 * The renderer's Content-Security-Policy: the page loads only its own bundled scripts and
 * styles, and talks only to its own origin (the headless bridge is same-origin). Electron
 * sets it as a response header, headless serves it as a header, index.html carries it too.
 */
const META_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/**
 * index.html's copy: a browser ignores `frame-ancestors` in a meta tag and logs an error for
 * it on every load, so only the headers carry it.
 */
export const META_CONTENT_SECURITY_POLICY = META_POLICY.join('; ');

export const CONTENT_SECURITY_POLICY = [...META_POLICY, "frame-ancestors 'none'"].join('; ');
