/** Test helper: one request to a server's operator API (server/admin/) on 127.0.0.1. */
import http from 'node:http';

export const ADMIN_TEST_TOKEN = 'a'.repeat(40);

export interface AdminAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** `token` undefined: no Authorization header. */
export function adminRequest(
  port: number,
  method: string,
  target: string,
  token?: string,
): Promise<AdminAnswer> {
  return new Promise((resolve, reject) => {
    const headers = token === undefined ? {} : { Authorization: `Bearer ${token}` };
    const req = http.request({ host: '127.0.0.1', port, path: target, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
