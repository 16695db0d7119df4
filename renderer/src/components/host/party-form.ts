/**
 * The create and settings forms' fields as typed, read into IPC requests with the shared
 * rules (one per field: shared/values/names.ts, shared/party/settings.ts), so a form says what is
 * wrong before any round trip.
 */
import type { IpcRequest } from '../../../../shared/ipc/contract';
import type { PartyView } from '../../../../shared/ipc/app-state';
import { nameSchema } from '../../../../shared/values/names';
import {
  JoinPolicy,
  MAX_PEERS_PER_PARTY,
  MaxPeersSchema,
  MIN_PARTY_PEERS,
  NewPartyPasswordSchema,
  Visibility,
} from '../../../../shared/party/settings';

export type FormErrors<F> = Partial<Record<keyof F, string>>;
export type FormRead<F, V> = { ok: true; value: V } | { ok: false; errors: FormErrors<F> };

export interface CreateForm {
  name: string;
  maxPlayers: string;
  policy: JoinPolicy;
  password: string;
  listed: boolean;
  handOver: boolean;
}

export const DEFAULT_CREATE_FORM: CreateForm = {
  name: '',
  maxPlayers: '8',
  policy: JoinPolicy.OPEN,
  password: '',
  listed: false,
  handOver: true,
};

export const DEFAULT_PARTY_NAME = 'Gaming Night';

const MAX_PLAYERS_MESSAGE = `Max players must be a whole number from ${MIN_PARTY_PEERS} to ${MAX_PEERS_PER_PARTY}.`;
const NO_PASSWORD_MESSAGE = 'Choose a password, or pick who can join another way.';

/** The number typed (digits only: "2.5", "1e2" and blanks are not numbers here). */
function readMaxPlayers(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,6}$/.test(trimmed)) return null;
  const parsed = MaxPeersSchema.safeParse(Number(trimmed));
  return parsed.success ? parsed.data : null;
}

function readPassword(text: string): { value: string } | { error: string } {
  const parsed = NewPartyPasswordSchema.safeParse(text);
  if (parsed.success) return { value: parsed.data };
  if (text === '') return { error: NO_PASSWORD_MESSAGE };
  return { error: `Password ${parsed.error.issues[0]?.message ?? 'is not valid'}.` };
}

export function readCreateForm(form: CreateForm): FormRead<CreateForm, IpcRequest<'createParty'>> {
  const errors: FormErrors<CreateForm> = {};
  const name = nameSchema('Party name').safeParse(form.name.trim() || DEFAULT_PARTY_NAME);
  if (!name.success) errors.name = name.error.issues[0]?.message ?? 'Check the party name.';
  const maxPeers = readMaxPlayers(form.maxPlayers);
  if (maxPeers === null) errors.maxPlayers = MAX_PLAYERS_MESSAGE;
  const password = form.policy === JoinPolicy.PASSWORD ? readPassword(form.password) : null;
  if (password && 'error' in password) errors.password = password.error;
  if (!name.success || maxPeers === null || errors.password) return { ok: false, errors };
  return {
    ok: true,
    value: {
      name: name.data,
      host_migration: form.handOver,
      settings: {
        max_peers: maxPeers,
        join_policy: form.policy,
        visibility: form.listed ? Visibility.PUBLIC : Visibility.PRIVATE,
        ...(password && 'value' in password ? { password: password.value } : {}),
      },
    },
  };
}

export interface SettingsForm {
  maxPlayers: string;
  policy: JoinPolicy;
  /** Blank keeps the current password (when one is set). */
  password: string;
  listed: boolean;
  locked: boolean;
  handOver: boolean;
}

type PartySettingsView = PartyView['settings'];
type SettingsPatch = IpcRequest<'updatePartySettings'>['settings'];

export function settingsFormOf(settings: PartySettingsView | undefined): SettingsForm {
  return {
    maxPlayers: String(settings?.max_peers ?? DEFAULT_CREATE_FORM.maxPlayers),
    policy: settings?.join_policy ?? JoinPolicy.OPEN,
    password: '',
    listed: settings?.visibility === Visibility.PUBLIC,
    locked: settings?.locked ?? false,
    handOver: settings?.host_migration ?? false,
  };
}

/**
 * The settings as a patch. A party that already asks for a password has one (the server
 * requires it), so a blank field keeps it; a new one replaces it.
 */
export function readSettingsForm(
  form: SettingsForm,
  hasPassword: boolean,
): FormRead<SettingsForm, SettingsPatch> {
  const errors: FormErrors<SettingsForm> = {};
  const maxPeers = readMaxPlayers(form.maxPlayers);
  if (maxPeers === null) errors.maxPlayers = MAX_PLAYERS_MESSAGE;
  const asks = form.policy === JoinPolicy.PASSWORD;
  const password =
    asks && !(hasPassword && form.password === '') ? readPassword(form.password) : null;
  if (password && 'error' in password) errors.password = password.error;
  if (maxPeers === null || errors.password) return { ok: false, errors };
  return {
    ok: true,
    value: {
      max_peers: maxPeers,
      join_policy: form.policy,
      visibility: form.listed ? Visibility.PUBLIC : Visibility.PRIVATE,
      locked: form.locked,
      host_migration: form.handOver,
      ...(password && 'value' in password ? { password: password.value } : {}),
    },
  };
}
