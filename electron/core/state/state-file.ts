/**
 * The spec's state file format, shared by control_state.json and discovery.json:
 * `{ parties: {id: PartyDict}, my_peer_id, my_party_id }`.
 */
import { z } from 'zod';
import { ControlPlaneError } from '../../../shared/errors';
import { IdSchema } from '../../../shared/ids';
import { PartyInfo, schemaError } from '../../../shared/model';
import type { PartyDict } from '../../../shared/party/dicts';

export const StateFileSchema = z.object({
  parties: z.record(z.string(), z.unknown()),
  my_peer_id: IdSchema.nullable().optional(),
  my_party_id: IdSchema.nullable().optional(),
});
export type StateFile = z.input<typeof StateFileSchema>;

export interface PersistedState {
  parties: Map<string, PartyInfo>;
  myPeerId: string | null;
  myPartyId: string | null;
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
  };
}

export function serializeState(state: PersistedState): string {
  const parties: Record<string, PartyDict> = {};
  for (const [id, party] of state.parties) parties[id] = party.toStoredDict();
  const file = { parties, my_peer_id: state.myPeerId, my_party_id: state.myPartyId };
  return `${JSON.stringify(file, null, 2)}\n`;
}
