/**
 * `--trusted-proxy CIDR[,CIDR…]`: the TCP load balancers in front of the server, whose
 * connections must start with a PROXY header naming the client (server/http/client-address.ts).
 * An address alone is one host (/32, /128).
 */
import net from 'node:net';
import { z } from 'zod';

export const MAX_TRUSTED_PROXIES = 32;
/** Digits, hex, dots and colons: no zone (`%eth0`), no blanks, no host name. */
const ADDRESS_CHARS = /^[\d.:a-fA-F]+$/;

/** `address/prefix` with the prefix said, or why `entry` is not one. */
function cidrOf(entry: string): { cidr: string } | { why: string } {
  const [address = '', prefix, ...extra] = entry.split('/');
  const family = ADDRESS_CHARS.test(address) ? net.isIP(address) : 0;
  const shown = JSON.stringify(entry.slice(0, 60));
  if (family === 0 || extra.length > 0) {
    return { why: `${shown}: must be an IPv4 or IPv6 address, or one with /prefix (10.0.0.0/8)` };
  }
  const max = family === 4 ? 32 : 128;
  if (prefix === undefined) return { cidr: `${address}/${max}` };
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) {
    return { why: `${shown}: the prefix must be 0–${max}` };
  }
  return { cidr: `${address}/${Number(prefix)}` };
}

export const TrustedProxiesSchema = z.string().transform((text, ctx) => {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.length > MAX_TRUSTED_PROXIES) {
    ctx.addIssue({ code: 'custom', message: `at most ${MAX_TRUSTED_PROXIES} addresses` });
    return z.NEVER;
  }
  const cidrs: string[] = [];
  for (const entry of entries) {
    const read = entry === '' ? { why: 'an empty address (a comma too many?)' } : cidrOf(entry);
    if ('why' in read) {
      ctx.addIssue({ code: 'custom', message: read.why });
      return z.NEVER;
    }
    cidrs.push(read.cidr);
  }
  return cidrs;
});
