/**
 * DNS-SD (RFC 6763) over multicast DNS (RFC 6762) for LANrage parties, as pure functions on
 * packets: which records advertise a party, which queries they answer, and what a response
 * from the network says. The socket lives in mdns-transport.ts.
 *
 * TTLs are short on purpose: a host that crashes sends no goodbye, and its party must leave
 * everyone's list within seconds, so browsers re-query at 80 % of the TTL (browse-cache.ts)
 * and drop what nobody confirmed.
 */
import { LAN_SERVICE_TYPE, type LanPartySummary } from '../../../shared/lan-party';
import { encodeTxt } from './txt-record';

export const SERVICE_NAME = `${LAN_SERVICE_TYPE}.local`;
export const SERVICE_ENUMERATION = '_services._dns-sd._udp.local';
/** Seconds a record lives in a browser's cache unless confirmed again. */
export const RECORD_TTL_S = 5;
/** A hostile TTL must not keep a ghost party listed for hours. */
export const MAX_ACCEPTED_TTL_S = 120;
/** More instances than this in one packet are ignored (a flood, not a LAN). */
export const MAX_INSTANCES_PER_PACKET = 16;

/** A resource record as multicast-dns / dns-packet carry it (only the fields we use). */
export interface MdnsRecord {
  name: string;
  type: string;
  ttl?: number;
  class?: string;
  flush?: boolean;
  data?: unknown;
}
export interface MdnsPacket {
  type?: string;
  questions?: { name: string; type: string }[];
  answers?: MdnsRecord[];
  additionals?: MdnsRecord[];
}

/** A party this instance advertises, and the host name its SRV record points at. */
export interface Advert {
  summary: LanPartySummary;
  /** e.g. `lanrage-k3x9q2.local`. */
  hostName: string;
  addresses: readonly string[];
}

/** A party as one response showed it. */
export interface Observation {
  /** The instance name, lower case: `<party id>._lanrage._tcp.local`. */
  instance: string;
  summary: LanPartySummary;
  /** Where the response came from: the host's address on the link we share. */
  address: string;
  port: number;
  ttlMs: number;
  /** The host's addresses, by its A records: its other interfaces, on other networks. */
  hostAddresses: string[];
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export const instanceName = (partyId: string): string => `${partyId}.${SERVICE_NAME}`;

/** The answer that advertises `advert`: PTR, then SRV, TXT and A as additionals. */
export function advertPacket(advert: Advert, ttl: number = RECORD_TTL_S): MdnsPacket {
  const instance = instanceName(advert.summary.party_id);
  const { port } = advert.summary;
  return {
    type: 'response',
    answers: [{ name: SERVICE_NAME, type: 'PTR', ttl, data: instance }],
    additionals: [
      {
        name: instance,
        type: 'SRV',
        ttl,
        flush: true,
        data: { port, target: advert.hostName, priority: 0, weight: 0 },
      },
      { name: instance, type: 'TXT', ttl, flush: true, data: encodeTxt(advert.summary) },
      ...advert.addresses.map((a) => ({
        name: advert.hostName,
        type: 'A',
        ttl,
        flush: true,
        data: a,
      })),
    ],
  };
}

/** The goodbye for `advert` (RFC 6762 §10.1: the same records with TTL 0). */
export const goodbyePacket = (advert: Advert): MdnsPacket => advertPacket(advert, 0);

export const browseQuery = (): MdnsPacket => ({
  type: 'query',
  questions: [{ name: SERVICE_NAME, type: 'PTR' }],
});

/** A PTR the asker already holds with at least half its TTL left needs no answer (§7.1). */
function knownAnswer(query: MdnsPacket, instance: string): boolean {
  return (query.answers ?? []).some(
    (a) =>
      a.type === 'PTR' &&
      same(a.name, SERVICE_NAME) &&
      typeof a.data === 'string' &&
      same(a.data, instance) &&
      (a.ttl ?? 0) >= RECORD_TTL_S / 2,
  );
}

function asks(question: { name: string; type: string }, advert: Advert): boolean {
  const instance = instanceName(advert.summary.party_id);
  const any = question.type === 'ANY';
  if (same(question.name, SERVICE_NAME)) return any || question.type === 'PTR';
  if (same(question.name, instance))
    return any || question.type === 'SRV' || question.type === 'TXT';
  return same(question.name, advert.hostName) && (any || question.type === 'A');
}

/** The adverts a query asks for (one packet each), and whether it enumerates service types. */
export function answersFor(
  query: MdnsPacket,
  adverts: readonly Advert[],
): { adverts: Advert[]; enumerate: boolean } {
  const questions = (query.questions ?? []).slice(0, 16);
  const enumerate = questions.some(
    (q) => same(q.name, SERVICE_ENUMERATION) && (q.type === 'PTR' || q.type === 'ANY'),
  );
  const wanted = adverts.filter(
    (advert) =>
      questions.some((q) => asks(q, advert)) &&
      !knownAnswer(query, instanceName(advert.summary.party_id)),
  );
  return { adverts: wanted, enumerate: enumerate && adverts.length > 0 };
}

export const enumerationPacket = (): MdnsPacket => ({
  type: 'response',
  answers: [{ name: SERVICE_ENUMERATION, type: 'PTR', ttl: RECORD_TTL_S, data: SERVICE_NAME }],
});
