/**
 * The model: a peer and a party as the app and the server hold them (camelCase, Dates),
 * read from and written to the spec's dicts (party/dicts.ts) at every boundary.
 */
import type { z } from 'zod';
import { ControlPlaneError } from './protocol/errors';
import { randomToken } from './values/ids';
import { PartyDictSchema, PeerDictSchema, type PartyDict, type PeerDict } from './party/dicts';
import {
  DEFAULT_PARTY_SETTINGS,
  settingsFromDict,
  settingsToDict,
  type PartySettings,
  type PartySettingsDict,
} from './party/settings';

export const NatType = {
  UNKNOWN: 'unknown',
  OPEN: 'open',
  FULL_CONE: 'full_cone',
  RESTRICTED_CONE: 'restricted_cone',
  PORT_RESTRICTED_CONE: 'port_restricted_cone',
  SYMMETRIC: 'symmetric',
} as const;
export type NatType = (typeof NatType)[keyof typeof NatType];
const NAT_TYPES: ReadonlySet<string> = new Set(Object.values(NatType));

/** Turns a zod failure into a ControlPlaneError that names the first bad field. */
export function schemaError(what: string, error: z.ZodError, prefix = ''): ControlPlaneError {
  const issue = error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  const field = path || what;
  return new ControlPlaneError(`Invalid ${what}: ${field}: ${issue?.message ?? 'invalid'}`, {
    code: 'bad_request',
    field,
  });
}

export interface PeerInfoFields {
  peerId: string;
  name: string;
  publicKey: string;
  natType: string;
  publicIp: string;
  publicPort: number;
  localIp: string;
  localPort: number;
  lastSeen: Date;
}

export class PeerInfo implements PeerInfoFields {
  readonly peerId: string;
  readonly name: string;
  readonly publicKey: string;
  readonly natType: string;
  readonly publicIp: string;
  readonly publicPort: number;
  readonly localIp: string;
  readonly localPort: number;
  readonly lastSeen: Date;

  constructor(fields: PeerInfoFields) {
    this.peerId = fields.peerId;
    this.name = fields.name;
    this.publicKey = fields.publicKey;
    this.natType = fields.natType;
    this.publicIp = fields.publicIp;
    this.publicPort = fields.publicPort;
    this.localIp = fields.localIp;
    this.localPort = fields.localPort;
    this.lastSeen = fields.lastSeen;
  }

  /** A copy with some fields replaced; PeerInfo values are never mutated in place. */
  with(changes: Partial<PeerInfoFields>): PeerInfo {
    return new PeerInfo({ ...this, ...changes });
  }

  toDict(): PeerDict {
    return {
      peer_id: this.peerId,
      name: this.name,
      public_key: this.publicKey,
      nat_type: this.natType,
      public_ip: this.publicIp,
      public_port: this.publicPort,
      local_ip: this.localIp,
      local_port: this.localPort,
      last_seen: this.lastSeen.toISOString(),
    };
  }

  /** @throws ControlPlaneError naming the bad field. */
  static fromDict(data: unknown, fieldPrefix = ''): PeerInfo {
    const parsed = PeerDictSchema.safeParse(data);
    if (!parsed.success) throw schemaError('peer', parsed.error, fieldPrefix);
    return PeerInfo.fromParsed(parsed.data);
  }

  /** From data a schema already accepted (e.g. inside a parsed wire message). */
  static fromParsed(d: z.output<typeof PeerDictSchema>): PeerInfo {
    return new PeerInfo({
      peerId: d.peer_id,
      name: d.name,
      publicKey: d.public_key,
      natType: d.nat_type,
      publicIp: d.public_ip,
      publicPort: d.public_port,
      localIp: d.local_ip,
      localPort: d.local_port,
      lastSeen: d.last_seen,
    });
  }

  /** Whether `natType` is one this version knows; unknown ones are kept, not rejected. */
  validateNatType(): boolean {
    return NAT_TYPES.has(this.natType);
  }

  getNatTypeEnum(): NatType {
    return this.validateNatType() ? (this.natType as NatType) : NatType.UNKNOWN;
  }
}

export interface PartyInfoFields {
  partyId: string;
  name: string;
  hostId: string;
  createdAt: Date;
  peers: ReadonlyMap<string, PeerInfo>;
  settings?: PartySettings;
}

export class PartyInfo implements PartyInfoFields {
  readonly partyId: string;
  readonly name: string;
  readonly hostId: string;
  readonly createdAt: Date;
  readonly peers: ReadonlyMap<string, PeerInfo>;
  readonly settings: PartySettings;

  constructor(fields: PartyInfoFields) {
    this.partyId = fields.partyId;
    this.name = fields.name;
    this.hostId = fields.hostId;
    this.createdAt = fields.createdAt;
    this.peers = fields.peers;
    this.settings = fields.settings ?? DEFAULT_PARTY_SETTINGS;
  }

  /** A copy with some fields replaced; PartyInfo values are never mutated in place. */
  with(changes: Partial<PartyInfoFields>): PartyInfo {
    return new PartyInfo({ ...this, ...changes });
  }

  toDict(): PartyDict {
    const peers: Record<string, PeerDict> = {};
    for (const [id, peer] of this.peers) peers[id] = peer.toDict();
    return {
      party_id: this.partyId,
      name: this.name,
      host_id: this.hostId,
      created_at: this.createdAt.toISOString(),
      peers,
    };
  }

  /** The party dict plus its settings: what state and discovery files keep. */
  toStoredDict(): PartyDict & { settings: PartySettingsDict } {
    return { ...this.toDict(), settings: settingsToDict(this.settings) };
  }

  /** @throws ControlPlaneError naming the bad field. */
  static fromDict(data: unknown, fieldPrefix = ''): PartyInfo {
    const parsed = PartyDictSchema.safeParse(data);
    if (!parsed.success) throw schemaError('party', parsed.error, fieldPrefix);
    return PartyInfo.fromParsed(parsed.data, fieldPrefix);
  }

  static fromParsed(d: z.output<typeof PartyDictSchema>, fieldPrefix = ''): PartyInfo {
    const peers = new Map<string, PeerInfo>();
    for (const [key, peer] of Object.entries(d.peers)) {
      if (key !== peer.peer_id) {
        const field = [fieldPrefix, 'peers', key, 'peer_id'].filter(Boolean).join('.');
        throw new ControlPlaneError(`Invalid party: ${field}: must equal its key "${key}"`, {
          code: 'bad_request',
          field,
        });
      }
      peers.set(key, PeerInfo.fromParsed(peer));
    }
    return new PartyInfo({
      partyId: d.party_id,
      name: d.name,
      hostId: d.host_id,
      createdAt: d.created_at,
      peers,
      settings: d.settings ? settingsFromDict(d.settings) : undefined,
    });
  }

  /**
   * A fresh party id such as `party_k7m2x9qh4dvw3`: 64 random bits (13 characters of a
   * 31-letter alphabet), too many to guess, still easy to read out.
   */
  static generatePartyId(): string {
    return `party_${randomToken(13)}`;
  }
}
