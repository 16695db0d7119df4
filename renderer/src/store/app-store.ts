/**
 * The zustand store: the replica of main's state plus UI state (dialogs, busy flags,
 * errors) and the actions that call the contract. Created per API so tests get their own.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  DiscoveredParty,
  PartyView,
  Settings,
  StateEvent,
} from '../../../shared/ipc/app-state';
import type {
  IpcError,
  IpcErrorCode,
  IpcRequest,
  IpcResult,
  LanrageApi,
  ServerCheck,
} from '../../../shared/ipc/contract';
import { inviteLink, parseInvite } from '../../../shared/invite';
import { RefusalCode, refusalSentence } from '../../../shared/protocol/refusals';
import {
  accessActions,
  EMPTY_ACCESS,
  type AccessActions,
  type AccessState,
} from './access-actions';
import {
  browseActions,
  EMPTY_BROWSE,
  type BrowseActions,
  type BrowseState,
} from './browse-actions';
import { whileAnswering } from './answering-gate';
import { nearbyPick, type NearbyPick } from './nearby-pick';
import { call } from './call';
import type { BridgeState } from '../bridge/ws-api';
import { applyStateEvent, EMPTY_REPLICA, type Replica } from './replica';

export const BusyAction = {
  CREATE: 'create',
  JOIN: 'join',
  LEAVE: 'leave',
  SETTINGS: 'settings',
  DISCOVER: 'discover',
  WELCOME: 'welcome',
  /** Make host, kick, ban. */
  MEMBER: 'member',
  PARTY_SETTINGS: 'party_settings',
  INVITES: 'invites',
  BANS: 'bans',
} as const;
export type BusyAction = (typeof BusyAction)[keyof typeof BusyAction];

export type Dialog = 'join' | 'settings' | 'leave' | 'party_settings' | null;

/** A wait of `seconds` an error named, over at `until` (epoch ms on this PC's clock). */
export interface RetryWait {
  seconds: number;
  until: number;
}

export interface UiState {
  dialog: Dialog;
  busy: Partial<Record<BusyAction, boolean>>;
  errors: Partial<Record<BusyAction, string>>;
  /**
   * The IpcErrorCode beside each error (a join refusal's code picks what the dialog asks): the
   * contract's union, so a code compared against it that no answer carries does not compile.
   */
  errorCodes: Partial<Record<BusyAction, IpcErrorCode>>;
  /** The wait an error named (too many wrong passwords), for the dialog to count down. */
  retryWait: Partial<Record<BusyAction, RetryWait>>;
  /** The bridge to the app (headless WebSocket): up, down (retrying) or stale (no retry). */
  bridge: BridgeState;
  /** False while the app leaves the page's asks unanswered (bridge/app-watch.ts). */
  appAnswering: boolean;
  /** A party picked under "Parties nearby", shown in the join dialog until it closes. */
  nearbyPick: NearbyPick | null;
}

export interface Actions {
  applyEvent: (event: StateEvent) => void;
  setBridge: (state: BridgeState) => void;
  setAppAnswering: (answering: boolean) => void;
  openDialog: (dialog: Dialog) => void;
  /** Opens the join dialog for a party under "Parties nearby" (joining waits for Join). */
  pickNearby: (party: DiscoveredParty) => void;
  clearError: (action: BusyAction) => void;
  createParty: (request: IpcRequest<'createParty'>) => Promise<boolean>;
  /** Joins by a pasted ID, link or message; `password` when the party asks for one. */
  /** `switchServer`: the user agreed to move to the server the invite names. */
  joinParty: (invite: string, password?: string, switchServer?: boolean) => Promise<boolean>;
  leaveParty: (how?: IpcRequest<'leaveParty'>) => Promise<boolean>;
  dismissEnded: () => Promise<boolean>;
  discoverParties: () => Promise<boolean>;
  saveSettings: (settings: Settings) => Promise<boolean>;
  dismissNotice: (id: string) => Promise<void>;
  /** Declines the invite link waiting for confirmation. */
  dismissInvite: () => Promise<void>;
  /** Asks the app whether a control server answers at `url` (Settings, before saving). */
  checkServer: (url: string) => Promise<ServerCheck>;
  /** Ends the first-run welcome, saving its choices (null: skipped). */
  finishWelcome: (settings: Settings | null) => Promise<boolean>;
}

export type AppStore = Replica &
  UiState &
  Actions &
  AccessState &
  AccessActions &
  BrowseActions & { browsing: BrowseState };

type SetState = StoreApi<AppStore>['setState'];
type GetState = StoreApi<AppStore>['getState'];
/** Runs one user action: busy flag on, error cleared, result applied, busy off. */
export type Act = <T>(
  action: BusyAction,
  run: () => Promise<IpcResult<T>>,
  onSuccess: (value: T) => Partial<AppStore>,
) => Promise<boolean>;

/** The wait an error names, from now. */
function retryWait(error: IpcError): RetryWait | undefined {
  const seconds = error.retry_after_s;
  return seconds === undefined ? undefined : { seconds, until: Date.now() + seconds * 1000 };
}

function createAct(set: SetState): Act {
  return async (action, run, onSuccess) => {
    set((s) => ({
      busy: { ...s.busy, [action]: true },
      errors: { ...s.errors, [action]: undefined },
      errorCodes: { ...s.errorCodes, [action]: undefined },
      retryWait: { ...s.retryWait, [action]: undefined },
    }));
    const result = await call(run);
    set((s) => ({
      ...(result.ok ? onSuccess(result.value) : {}),
      busy: { ...s.busy, [action]: false },
      errors: { ...s.errors, [action]: result.ok ? undefined : result.error.message },
      errorCodes: { ...s.errorCodes, [action]: result.ok ? undefined : result.error.code },
      retryWait: { ...s.retryWait, [action]: result.ok ? undefined : retryWait(result.error) },
    }));
    return result.ok;
  };
}

type UiActions = Pick<
  Actions,
  'applyEvent' | 'setBridge' | 'setAppAnswering' | 'openDialog' | 'clearError' | 'pickNearby'
>;

function uiActions(set: SetState): UiActions {
  return {
    applyEvent: (event) => set((s) => applyStateEvent(s, event)),
    // Without the app nothing it said is known any more: no status, so no one shows online
    // and the status bar does not say "Connected". The snapshot after a reconnect restores it.
    setBridge: (bridge) => set(bridge === 'up' ? { bridge } : { bridge, status: null }),
    // The same for an app that stopped answering; the snapshot it answers with restores it.
    setAppAnswering: (appAnswering) =>
      set(appAnswering ? { appAnswering } : { appAnswering, status: null }),
    openDialog: (dialog) =>
      set((s) => ({
        dialog,
        nearbyPick: null,
        errors: { ...s.errors, join: undefined, settings: undefined, party_settings: undefined },
        retryWait: { ...s.retryWait, join: undefined },
      })),
    pickNearby: (party) =>
      set((s) => ({
        dialog: 'join',
        nearbyPick: nearbyPick(party),
        errors: { ...s.errors, join: undefined },
        errorCodes: { ...s.errorCodes, join: undefined },
        retryWait: { ...s.retryWait, join: undefined },
      })),
    clearError: (action) =>
      set((s) => ({
        errors: { ...s.errors, [action]: undefined },
        errorCodes: { ...s.errorCodes, [action]: undefined },
        retryWait: { ...s.retryWait, [action]: undefined },
      })),
  };
}

type PartyActions = Pick<
  Actions,
  'createParty' | 'joinParty' | 'leaveParty' | 'discoverParties' | 'dismissEnded'
>;

/** Join by ID or link: a typo is answered here, without asking the app. */
function joinAction(
  api: LanrageApi,
  set: SetState,
  get: GetState,
  act: Act,
  withParty: (party: PartyView) => Partial<AppStore>,
): Actions['joinParty'] {
  const refuse = (message: string, code: IpcErrorCode) => {
    set((s) => ({
      errors: { ...s.errors, join: message },
      errorCodes: { ...s.errorCodes, join: code },
      retryWait: { ...s.retryWait, join: undefined },
    }));
    return false;
  };
  return async (invite, password, switchServer) => {
    const parsed = parseInvite(invite);
    if (!parsed.ok) return refuse(parsed.message, 'bad_request');
    // The password field left blank: said as the party would, so focus goes to that field.
    if (password === '') {
      const code = RefusalCode.PASSWORD_REQUIRED;
      return refuse(refusalSentence(code), code);
    }
    // A deep link's dialog shows without being opened: keep it up if the link goes away.
    if (get().dialog === null && get().invite !== null) set({ dialog: 'join' });
    const ok = await act(
      BusyAction.JOIN,
      () =>
        api.joinParty({
          // The bare ID, or the link when it carries more (the app reads it anew).
          invite:
            parsed.invite || parsed.server || parsed.pin
              ? inviteLink(parsed.partyId, parsed.invite, parsed.server, parsed.pin, parsed.at)
              : parsed.partyId,
          ...(password === undefined ? {} : { password }),
          ...(switchServer ? { switch_server: true } : {}),
        }),
      withParty,
    );
    if (ok && get().dialog === 'join') set({ dialog: null, nearbyPick: null, screen: 'home' });
    return ok;
  };
}

function partyActions(api: LanrageApi, set: SetState, get: GetState, act: Act): PartyActions {
  const withParty = (party: PartyView) => ({
    party: applyStateEvent(get(), { type: 'party', party }).party,
  });
  return {
    createParty: (request) => act(BusyAction.CREATE, () => api.createParty(request), withParty),
    joinParty: joinAction(api, set, get, act, withParty),
    leaveParty: (how = {}) =>
      act(
        BusyAction.LEAVE,
        () => api.leaveParty(how),
        () => ({ party: null, dialog: null }),
      ),
    dismissEnded: async () => {
      set({ ended: null });
      return (await call(() => api.dismissEnded({}))).ok;
    },
    discoverParties: () =>
      act(
        BusyAction.DISCOVER,
        () => api.discoverParties({}),
        (discovered) => ({ discovered }),
      ),
  };
}

function settingsActions(
  api: LanrageApi,
  set: SetState,
  get: GetState,
  act: Act,
): Pick<Actions, 'saveSettings' | 'checkServer' | 'finishWelcome'> {
  return {
    checkServer: async (url) => {
      const result = await call(() => api.testServer({ url }));
      return result.ok ? result.value : { reachable: false, message: result.error.message };
    },
    finishWelcome: (settings) =>
      act(
        BusyAction.WELCOME,
        () => api.finishWelcome({ settings }),
        (saved) => ({ settings: saved, firstRun: false }),
      ),
    saveSettings: async (settings) => {
      const ok = await act(
        BusyAction.SETTINGS,
        () => api.saveSettings(settings),
        (saved) => ({ settings: saved }),
      );
      if (ok && get().dialog === 'settings') set({ dialog: null });
      return ok;
    },
  };
}

/** Dismissals need no busy flag or error: the app pushes the new list either way. */
function dismissActions(api: LanrageApi): Pick<Actions, 'dismissNotice' | 'dismissInvite'> {
  return {
    dismissNotice: async (id) => {
      await call(() => api.dismissNotice({ id }));
    },
    dismissInvite: async () => {
      await call(() => api.dismissInvite({}));
    },
  };
}

export function createAppStore(rawApi: LanrageApi): StoreApi<AppStore> {
  return createStore<AppStore>()((set, get) => {
    const act = createAct(set);
    const api = whileAnswering(rawApi, () => get().appAnswering);
    return {
      ...EMPTY_REPLICA,
      dialog: null,
      busy: {},
      errors: {},
      errorCodes: {},
      retryWait: {},
      bridge: 'up',
      appAnswering: true,
      nearbyPick: null,
      ...uiActions(set),
      ...partyActions(api, set, get, act),
      ...settingsActions(api, set, get, act),
      ...dismissActions(api),
      ...EMPTY_ACCESS,
      ...accessActions(api, set, get, act),
      browsing: EMPTY_BROWSE,
      ...browseActions(api, set, get),
    };
  });
}
