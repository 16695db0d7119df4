/**
 * Browse's state: the public parties shown, the search they answer and the cursor of the
 * next page. Only the newest question's answer is shown: a slow first page never
 * replaces a search typed after it.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { LanrageApi } from '../../../shared/ipc/contract';
import type { PartySummaryView } from '../../../shared/ipc/access';
import type { AppStore } from './app-store';
import { call } from './call';

/** Parties per Browse page (the server allows up to 50). */
export const BROWSE_PAGE_SIZE = 20;

export interface BrowseState {
  /** The search these parties answer: "More" pages on with it, not with what is typed now. */
  query: string;
  /** Null until the first answer. */
  parties: PartySummaryView[] | null;
  nextCursor: string | null;
  busy: boolean;
  error: string | null;
}

export const EMPTY_BROWSE: BrowseState = {
  query: '',
  parties: null,
  nextCursor: null,
  busy: false,
  error: null,
};

export interface BrowseActions {
  /** The first page of public parties matching `query` (blank: all). */
  browse: (query: string) => Promise<void>;
  /** The next page of the shown search. */
  browseMore: () => Promise<void>;
}

type Set = StoreApi<AppStore>['setState'];
type Get = StoreApi<AppStore>['getState'];

export function browseActions(api: LanrageApi, set: Set, get: Get): BrowseActions {
  let asked = 0;
  const load = async (query: string, cursor: string | null) => {
    const ticket = ++asked;
    set((s) => ({ browsing: { ...s.browsing, busy: true, error: null } }));
    const result = await call(() =>
      api.listParties({
        ...(query === '' ? {} : { query }),
        limit: BROWSE_PAGE_SIZE,
        ...(cursor === null ? {} : { cursor }),
      }),
    );
    if (ticket !== asked) return;
    const old = get().browsing;
    if (!result.ok) {
      set({ browsing: { ...old, busy: false, error: result.error.message } });
      return;
    }
    const { parties, next_cursor: nextCursor } = result.value;
    const shown = cursor !== null && old.parties ? [...old.parties, ...parties] : parties;
    set({ browsing: { query, parties: shown, nextCursor, busy: false, error: null } });
  };
  return {
    browse: (query) => load(query.trim(), null),
    browseMore: async () => {
      const { query, nextCursor } = get().browsing;
      if (nextCursor !== null) await load(query, nextCursor);
    },
  };
}
