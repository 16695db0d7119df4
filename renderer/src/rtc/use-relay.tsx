/**
 * One RelayConfig for the party on screen, shared by voice chat and screen sharing, and the
 * relay's state for the panels (a hidden address on a server without a relay cannot call).
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { LanrageApi } from '../../../shared/ipc/contract';
import type { RelayGrant } from '../../../shared/protocol/relay';
import { useApi, useStore, useStoreApi } from '../store/context';
import { RelayConfig, type RelayState } from './relay-config';
import { useRelinked } from './use-relinked';

interface RelayContextValue {
  relay: RelayConfig | null;
  state: RelayState;
}

const RelayContext = createContext<RelayContextValue>({ relay: null, state: 'unknown' });
const NOT_TOLD = { from: null, state: 'unknown' } as const;

async function fetchRelay(api: LanrageApi): Promise<RelayGrant> {
  const answer = await api.getRelay({});
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value;
}

export function RelayProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const store = useStoreApi();
  const partyId = useStore((s) => s.party?.party_id ?? null);
  // Tagged with the config it came from: a party opened since reads `unknown` until told.
  const [told, setTold] = useState<{ from: RelayConfig | null; state: RelayState }>(NOT_TOLD);
  const relay = useMemo(() => {
    if (partyId === null) return null;
    const config: RelayConfig = new RelayConfig({
      fetch: () => fetchRelay(api),
      later: (ms, fn) => {
        const timer = setTimeout(fn, ms);
        return () => clearTimeout(timer);
      },
      relayOnly: () => store.getState().settings?.relay_only === true,
      onState: (state) => setTold({ from: config, state }),
    });
    return config;
  }, [api, store, partyId]);
  useEffect(() => {
    if (!relay) return;
    relay.start();
    return () => relay.stop();
  }, [relay]);
  // Linked again: the server may have restarted with a relay it lacked (its old answer,
  // "none", would stand for 48 minutes) or with a new secret (old credentials refused).
  const askNow = useMemo(() => (relay ? () => relay.askNow() : null), [relay]);
  useRelinked(askNow);
  const state = told.from === relay && relay !== null ? told.state : 'unknown';
  const value = useMemo(() => ({ relay, state }), [relay, state]);
  return <RelayContext.Provider value={value}>{children}</RelayContext.Provider>;
}

/** The party's relays, and whether it has any (`unknown` outside a RelayProvider). */
export function useRelay(): RelayContextValue {
  return useContext(RelayContext);
}
