/**
 * What a multicast DNS response says about LANrage parties. Anyone on the LAN can send
 * one, so nothing in it is believed beyond the shapes checked here: the instance's label
 * must be the party id its TXT names, SRV and TXT must agree on the port, TTLs are capped,
 * and only so many instances are read from one packet.
 */
import { isIPv4 } from 'node:net';
import {
  MAX_ACCEPTED_TTL_S,
  MAX_INSTANCES_PER_PACKET,
  SERVICE_NAME,
  instanceName,
  type MdnsPacket,
  type MdnsRecord,
  type Observation,
} from './dns-sd-records';
import { decodeTxt } from './txt-record';

export interface ResponseNews {
  seen: Observation[];
  /** Instances whose host said goodbye (TTL 0). */
  gone: string[];
  /** Records that were ours in shape but not acceptable, for a debug log. */
  refused: string[];
}

const lower = (s: string): string => s.toLowerCase();
/** As many as a host announces (mdns-transport.ts). */
const MAX_HOST_ADDRESSES = 8;
const isInstance = (name: string): boolean =>
  lower(name).endsWith(`.${SERVICE_NAME}`) && name.length <= 255;

function srvPort(record: MdnsRecord | undefined): number | null {
  const data = record?.data as { port?: unknown } | undefined;
  const port = data?.port;
  return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536
    ? port
    : null;
}

function txtData(record: MdnsRecord | undefined): Uint8Array[] | null {
  const data = record?.data;
  if (!Array.isArray(data)) return null;
  return data.every((d) => d instanceof Uint8Array) ? data : null;
}

const ttlOf = (record: MdnsRecord): number =>
  typeof record.ttl === 'number' && record.ttl >= 0 ? record.ttl : 0;

/** The instances a packet mentions (from PTR answers and SRV/TXT records), bounded. */
function instancesIn(records: readonly MdnsRecord[]): Set<string> {
  const names = new Set<string>();
  for (const r of records) {
    if (names.size >= MAX_INSTANCES_PER_PACKET) break;
    if (r.type === 'PTR' && lower(r.name) === SERVICE_NAME && typeof r.data === 'string') {
      if (isInstance(r.data)) names.add(lower(r.data));
    } else if ((r.type === 'SRV' || r.type === 'TXT') && isInstance(r.name)) {
      names.add(lower(r.name));
    }
  }
  return names;
}

/** The IPv4 addresses the packet's A records give the SRV record's target, bounded. */
function addressesOf(records: readonly MdnsRecord[], srv: MdnsRecord): string[] {
  const target = (srv.data as { target?: unknown } | undefined)?.target;
  if (typeof target !== 'string') return [];
  const found = records
    .filter((r) => r.type === 'A' && lower(r.name) === lower(target))
    .map((r) => r.data)
    .filter((a): a is string => typeof a === 'string' && isIPv4(a));
  return [...new Set(found)].slice(0, MAX_HOST_ADDRESSES);
}

function observe(
  instance: string,
  records: readonly MdnsRecord[],
  address: string,
  news: ResponseNews,
): void {
  const mine = records.filter(
    (r) =>
      lower(r.name) === instance ||
      (r.type === 'PTR' && typeof r.data === 'string' && lower(r.data) === instance),
  );
  if (mine.some((r) => ttlOf(r) === 0)) {
    news.gone.push(instance);
    return;
  }
  const srv = mine.find((r) => r.type === 'SRV');
  const txt = mine.find((r) => r.type === 'TXT');
  if (!srv || !txt) return; // a partial answer: the next full one will tell
  const port = srvPort(srv);
  const data = txtData(txt);
  const decoded = data ? decodeTxt(data) : { ok: false as const, error: 'TXT is not strings' };
  if (!decoded.ok) return void news.refused.push(`${instance}: ${decoded.error}`);
  const summary = decoded.value;
  if (instanceName(summary.party_id) !== instance) {
    return void news.refused.push(`${instance}: names party ${summary.party_id}`);
  }
  if (port === null || port !== summary.port) {
    return void news.refused.push(
      `${instance}: SRV port ${String(port)} is not TXT port ${summary.port}`,
    );
  }
  const ttl = Math.min(ttlOf(srv), ttlOf(txt), MAX_ACCEPTED_TTL_S);
  const hostAddresses = addressesOf(records, srv);
  news.seen.push({ instance, summary, address, port, ttlMs: ttl * 1000, hostAddresses });
}

/**
 * Whether a party announced from `address` can be dialled there: a unicast IPv4 address. A
 * host whose address is gone (a DHCP renewal, a flushed interface) still sends, from 0.0.0.0,
 * and dialling that reaches the guest's own PC: its guests followed the party there, were
 * refused, and were told the host left.
 */
function dialable(address: string): boolean {
  const first = Number(address.split('.')[0]);
  return isIPv4(address) && first !== 0 && first < 224;
}

/** Reads a response packet that came from `address`. Never throws. */
export function readResponse(packet: MdnsPacket, address: string): ResponseNews {
  const news: ResponseNews = { seen: [], gone: [], refused: [] };
  if (packet.type !== 'response') return news;
  if (!dialable(address)) return { ...news, refused: [`a response from ${address}`] };
  const records = [...(packet.answers ?? []), ...(packet.additionals ?? [])].filter(
    (r): r is MdnsRecord => typeof r === 'object' && r !== null && typeof r.name === 'string',
  );
  for (const instance of instancesIn(records)) observe(instance, records, address, news);
  return news;
}
