/** Test support: the voice hook over a fake API and fake devices, in Bob's party. */
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { VoiceSignal } from '../../../shared/media/voice';
import { createAppStore } from '../store/app-store';
import { StoreProvider } from '../store/context';
import { useVoice } from '../voice/use-voice';
import { fakeApi, makeParty, makeState } from './fixtures';
import { fakeDevices, tick } from './voice-fakes';

/** Me (alice) in Bob's party with Carol, the voice hook over a fake API and fake devices. */
export function setupVoiceHook() {
  const fake = fakeApi({
    sendVoiceSignal: () => ({ ok: true, value: null }),
    setVoiceVolume: () => ({ ok: true, value: null }),
  });
  const store = createAppStore(fake.api);
  const party = makeParty('bob', ['alice', 'carol']);
  store.getState().applyEvent({ type: 'snapshot', state: makeState({ party }) });
  const devices = fakeDevices();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <StoreProvider store={store} api={fake.api}>
      {children}
    </StoreProvider>
  );
  const hook = renderHook(() => useVoice(devices.createDeps), { wrapper });
  const receive = (from: string, signal: VoiceSignal) =>
    act(() => fake.emit({ type: 'voice_signal', from, signal }));
  const sent = () =>
    fake.calls
      .filter((c) => c.channel === 'sendVoiceSignal')
      .map((c) => c.request as { to: string; signal: VoiceSignal })
      .map(({ to, signal }) => `${signal.kind}->${to}`);
  const calls = (channel: string) =>
    fake.calls.filter((c) => c.channel === channel).map((c) => c.request);
  return { store, fake, devices, hook, receive, sent, calls };
}

/** Joined, with Bob in voice too. */
export async function inVoiceWithBob(setupResult: ReturnType<typeof setupVoiceHook>) {
  const { hook, receive } = setupResult;
  await act(async () => {
    hook.result.current.join();
    await tick();
  });
  receive('bob', { kind: 'here', muted: true });
  await act(tick);
}
