/**
 * An HTTP request's target as a URL, or null when it does not parse. Node's HTTP parser
 * passes targets such as `http://[` or `//[` through and `new URL` throws on them: thrown in
 * a server's `upgrade` listener, that ended the process. Every server here (the control
 * server, headless mode's page and bridge) reads its targets through this.
 */
export function requestTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}
