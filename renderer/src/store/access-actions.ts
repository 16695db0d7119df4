/**
 * The store's part for private parties (issue 10): Browse, the host's settings, member
 * actions, invites and bans, and answering join requests. Lists the host asks for
 * (invites, bans) are kept here; join requests and a pending join come in the replica.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { IpcResult, LanrageApi, IpcRequest } from '../../../shared/ipc/contract';
import type { BanView, InviteView, PartySummaryView } from '../../../shared/ipc/access';
import type { PartyView } from '../../../shared/ipc/app-state';
import type { Act, AppStore } from './app-store';
import { call } from './call';
import { mergeParty } from './replica';
import { previewOf } from '../../../shared/ipc/invite-preview';

export type Screen = 'home' | 'browse';

export interface AccessState {
  /** Where the home screen is: itself or Browse (a party's view replaces both). */
  screen: Screen;
  /** The member the host asked to ban, until confirmed or cancelled. */
  banTarget: string | null;
  invites: InviteView[];
  bans: BanView[];
}

export interface AccessActions {
  showScreen: (screen: Screen) => void;
  /** Browse's Join: the join dialog opens on that party, asking what it needs (a password). */
  pickListed: (party: PartySummaryView) => void;
  answerJoin: (peerId: string, accept: boolean) => Promise<IpcResult<null>>;
  cancelJoin: () => Promise<void>;
  transferHost: (peerId: string) => Promise<boolean>;
  kickPeer: (peerId: string, ban: boolean) => Promise<boolean>;
  askBan: (peerId: string | null) => void;
  updatePartySettings: (settings: SettingsPatch) => Promise<boolean>;
  setLocked: (locked: boolean) => Promise<boolean>;
  listInvites: () => Promise<boolean>;
  createInvite: (request: IpcRequest<'createInvite'>) => Promise<boolean>;
  revokeInvite: (inviteId: string) => Promise<boolean>;
  listBans: () => Promise<boolean>;
  unbanPeer: (peerId: string) => Promise<boolean>;
}

export const EMPTY_ACCESS: AccessState = {
  screen: 'home',
  banTarget: null,
  invites: [],
  bans: [],
};

type SettingsPatch = IpcRequest<'updatePartySettings'>['settings'];
type Set = StoreApi<AppStore>['setState'];
type Get = StoreApi<AppStore>['getState'];

function memberActions(api: LanrageApi, set: Set, act: Act) {
  return {
    transferHost: (peerId: string) =>
      act(
        'member',
        () => api.transferHost({ peer_id: peerId }),
        () => ({}),
      ),
    kickPeer: async (peerId: string, ban: boolean) => {
      const ok = await act(
        'member',
        () => api.kickPeer({ peer_id: peerId, ban }),
        () => ({}),
      );
      if (ok && ban) set({ banTarget: null, bans: [] });
      return ok;
    },
    askBan: (peerId: string | null) =>
      set((s) => ({ banTarget: peerId, errors: { ...s.errors, member: undefined } })),
    answerJoin: (peerId: string, accept: boolean) =>
      call(() => api.answerJoin({ peer_id: peerId, accept })),
  };
}

function hostLists(api: LanrageApi, get: Get, act: Act) {
  const listInvites = () =>
    act(
      'invites',
      () => api.listInvites({}),
      (invites) => ({ invites }),
    );
  const listBans = () =>
    act(
      'bans',
      () => api.listBans({}),
      (bans) => ({ bans }),
    );
  return {
    listInvites,
    createInvite: (request: IpcRequest<'createInvite'>) =>
      act(
        'invites',
        () => api.createInvite(request),
        (invite) => ({ invites: [invite, ...get().invites] }),
      ),
    revokeInvite: (inviteId: string) =>
      act(
        'invites',
        () => api.revokeInvite({ invite_id: inviteId }),
        () => ({ invites: get().invites.filter((i) => i.invite_id !== inviteId) }),
      ),
    listBans,
    unbanPeer: (peerId: string) =>
      act(
        'bans',
        () => api.unbanPeer({ peer_id: peerId }),
        () => ({ bans: get().bans.filter((b) => b.peer_id !== peerId) }),
      ),
  };
}

export function accessActions(api: LanrageApi, set: Set, get: Get, act: Act): AccessActions {
  const withParty = (party: PartyView) => ({ party: mergeParty(get().party, party) });
  return {
    showScreen: (screen) => set({ screen }),
    pickListed: (summary) =>
      set((s) => ({
        dialog: 'join',
        nearbyPick: {
          // Seen whole, with no link's token, server or pin.
          preview: previewOf(summary.party_id, summary),
          where: 'a public party',
          joinPolicy: summary.join_policy,
        },
        errors: { ...s.errors, join: undefined },
        errorCodes: { ...s.errorCodes, join: undefined },
        retryWait: { ...s.retryWait, join: undefined },
      })),
    cancelJoin: async () => {
      await call(() => api.cancelJoin({}));
    },
    updatePartySettings: async (settings) => {
      const ok = await act(
        'party_settings',
        () => api.updatePartySettings({ settings }),
        withParty,
      );
      if (ok && get().dialog === 'party_settings') set({ dialog: null });
      return ok;
    },
    setLocked: (locked) =>
      act('party_settings', () => api.updatePartySettings({ settings: { locked } }), withParty),
    ...memberActions(api, set, act),
    ...hostLists(api, get, act),
  };
}
