/**
 * The renderer's Content-Security-Policy: the page loads only its own bundled scripts and
 * styles, and talks only to its own origin (the headless bridge is same-origin). Electron
 * sets it as a response header, headless serves it as a header, index.html carries it too.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
