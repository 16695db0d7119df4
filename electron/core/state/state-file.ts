/**
 * The spec's state file format, shared by control_state.json and discovery.json:
 * `{ parties: {id: PartyDict}, my_peer_id, my_party_id }`, and `host_pins` (party id → the
 * certificate pin its LAN host showed us) when we are in a LAN party: trust on first use
 * then outlasts a restart (electron/core/hosting/host-pins.ts), and `host_at` (party id → where
 * that host answered, for a party joined at its invite link's address: hosting/host-at.ts).
 */
import { z } from 'zod';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import { IdSchema } from '../../../shared/values/ids';
import { CertificatePinSchema, HostAddressesSchema } from '../../../shared/lan-party';
import { PartyInfo, schemaError } from '../../../shared/model';
import type { PartyDict } from '../../../shared/party/dicts';

export const StateFileSchema = z.object({
  parties: z.record(z.string(), z.unknown()),
  my_peer_id: IdSchema.nullable().optional(),
  my_party_id: IdSchema.nullable().optional(),
  host_pins: z.record(IdSchema, CertificatePinSchema).optional(),
  host_at: z.record(IdSchema, HostAddressesSchema).optional(),
});

export interface PersistedState {
  parties: Map<string, PartyInfo>;
  myPeerId: string | null;
  myPartyId: string | null;
  /** party id → its LAN host's certificate pin (absent: none kept). */
  hostPins?: ReadonlyMap<string, string>;
  /** party id → where its LAN host answered, joined at its link's address (absent: none). */
  hostAt?: ReadonlyMap<string, readonly string[]>;
}

export function emptyState(): PersistedState {
  return { parties: new Map(), myPeerId: null, myPartyId: null };
}

/** @throws ControlPlaneError naming the first bad field, e.g. `parties.p1.peers.a.public_port`. */
export function parseStateFile(raw: unknown): PersistedState {
  const parsed = StateFileSchema.safeParse(raw);
  if (!parsed.success) throw schemaError('state file', parsed.error);
  const parties = new Map<string, PartyInfo>();
  for (const [id, dict] of Object.entries(parsed.data.parties)) {
    const party = PartyInfo.fromDict(dict, `parties.${id}`);
    if (party.partyId !== id) {
      throw new ControlPlaneError(
        `Invalid state file: parties.${id}.party_id: must equal its key "${id}"`,
        { code: 'bad_request', field: `parties.${id}.party_id` },
      );
    }
    parties.set(id, party);
  }
  return {
    parties,
    myPeerId: parsed.data.my_peer_id ?? null,
    myPartyId: parsed.data.my_party_id ?? null,
    hostPins: new Map(Object.entries(parsed.data.host_pins ?? {})),
    hostAt: new Map(Object.entries(parsed.data.host_at ?? {})),
  };
}

export function serializeState(state: PersistedState): string {
  const parties: Record<string, PartyDict> = {};
  for (const [id, party] of state.parties) parties[id] = party.toStoredDict();
  const pins = state.hostPins?.size ? { host_pins: Object.fromEntries(state.hostPins) } : {};
  const at = state.hostAt?.size ? { host_at: Object.fromEntries(state.hostAt) } : {};
  const file = {
    parties,
    my_peer_id: state.myPeerId,
    my_party_id: state.myPartyId,
    ...pins,
    ...at,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}
