import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectStore } from './bridge/connect-store';
import { getApi } from './bridge/get-api';
import type { BridgeState } from './bridge/ws-api';
import { App } from './components/App';
import { holdNamesWhilePressed } from './components/common/names-held';
import { createAppStore } from './store/app-store';
import { StoreProvider } from './store/context';
import './styles/app.css';
import './styles/access.css';
import './styles/names.css';

let setBridge: (state: BridgeState) => void = () => undefined;
const api = getApi((state) => setBridge(state));
const store = createAppStore(api);
setBridge = (state) => store.getState().setBridge(state);
connectStore(api, store);
holdNamesWhilePressed(document);

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store} api={api}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
