/**
 * Doubles for screen sharing: a screen that can end by itself, a link that records what the
 * state machine asks of it, and a relay that carries signals between members' machines only
 * when the test says so.
 */
import type { IpcResult, LanrageApi } from '../../../shared/ipc/contract';
import type { ScreenSignal } from '../../../shared/media/screen';
import { ScreenShare } from '../screen/screen-share';
import type {
  ScreenCapture,
  ScreenDeps,
  ScreenLinkHandlers,
  ScreenView,
  ViewerLinkHandlers,
} from '../screen/screen-types';
import { FakePeerLink, tick } from './fake-peer-link';
import { FakeTimers } from './fake-timers';

export { tick };

export class FakeScreen implements ScreenCapture {
  stopped = false;
  private readonly listeners: (() => void)[] = [];
  onEnded(listener: () => void): void {
    this.listeners.push(listener);
  }
  stop(): void {
    this.stopped = true;
  }
  /** The user stops sharing from the OS or the browser. */
  end(): void {
    this.stopped = true;
    for (const listener of this.listeners.splice(0)) listener();
  }
}

/** The screen a viewer's fake link delivers: whose it is. */
export interface FakeStream {
  from: string;
}

/** Records each call as a line ("remote offer: <sdp>", "candidate c1"…), in order. */
export class FakeScreenLink extends FakePeerLink<
  ScreenLinkHandlers | ViewerLinkHandlers<FakeStream>
> {
  constructor(
    owner: string,
    peerId: string,
    readonly role: 'sender' | 'viewer',
    handlers: ScreenLinkHandlers | ViewerLinkHandlers<FakeStream>,
  ) {
    super(owner, peerId, handlers);
  }

  /** A viewer's link receives the sharer's screen. */
  deliver(): void {
    if (!('onStream' in this.handlers)) throw new Error('a sender link receives no screen');
    this.handlers.onStream({ from: this.peerId });
  }
}

export interface Sent {
  from: string;
  to: string;
  signal: ScreenSignal;
}

const NOT_FOUND: IpcResult<null> = {
  ok: false,
  error: { code: 'not_found', message: 'That member is not connected.' },
};

type Machine = ScreenShare<FakeScreen, FakeStream>;

/** Members' machines and the relay between them; signals wait in `inbox` until `settle()`. */
export class FakeScreenNet {
  /** Every member's clock (ms) and waits; tests move the one and fire the others. */
  readonly timers = new FakeTimers();
  readonly sent: Sent[] = [];
  readonly inbox: Sent[] = [];
  readonly machines = new Map<string, Machine>();
  readonly views = new Map<string, ScreenView>();
  readonly streams = new Map<string, FakeStream | null>();
  readonly links: FakeScreenLink[] = [];
  /** Each member's newest screen. */
  readonly screens = new Map<string, FakeScreen>();
  /** Sends to these answer not_found. */
  readonly unreachable = new Set<string>();
  /** Sends to these are taken, and never delivered (the server lost them, or they were away). */
  readonly lost = new Set<string>();
  /** Sends to these throw (a bridge that is down). */
  readonly throwing = new Set<string>();
  /** These members' screens cannot be had; `cancel` ones' users close the picker. */
  readonly noScreen = new Set<string>();
  readonly cancel = new Set<string>();
  /** Picking a screen waits for this when set. */
  screenGate: Promise<void> | null = null;

  /**
   * A machine for each member, all told the party is exactly these members. Their first asks
   * are dropped (nobody shares yet to answer them): the tests see only what follows.
   */
  constructor(members: readonly string[]) {
    for (const peerId of members) this.machines.set(peerId, this.makeMachine(peerId));
    for (const machine of this.machines.values()) machine.membersChanged(members);
    this.sent.length = 0;
    this.inbox.length = 0;
  }

  /** A member's app opens on the party, and the others see them join. */
  join(peerId: string): void {
    this.machines.set(peerId, this.makeMachine(peerId));
    const party = [...this.machines.keys()];
    for (const machine of this.machines.values()) machine.membersChanged(party);
  }

  /**
   * A member's app restarts within the peer timeout: a new machine on the party (it asks
   * everyone), while the others never saw them leave.
   */
  restart(peerId: string): void {
    const machine = this.makeMachine(peerId);
    this.machines.set(peerId, machine);
    machine.membersChanged([...this.machines.keys()]);
  }

  /** A member is gone from the party without a word (their app closed): the others see it. */
  vanish(peerId: string): void {
    this.machines.delete(peerId);
    const party = [...this.machines.keys()];
    for (const machine of this.machines.values()) machine.membersChanged(party);
  }

  machine(peerId: string): Machine {
    const machine = this.machines.get(peerId);
    if (!machine) throw new Error(`no member ${peerId}`);
    return machine;
  }

  view(peerId: string): ScreenView {
    return this.views.get(peerId) ?? this.machine(peerId).view();
  }

  /** The links `owner` made to `peerId`, oldest first. */
  linksOf(owner: string, peerId: string): FakeScreenLink[] {
    return this.links.filter((l) => l.owner === owner && l.peerId === peerId);
  }

  /** The newest link `owner` made to `peerId`. */
  link(owner: string, peerId: string): FakeScreenLink {
    const link = this.linksOf(owner, peerId).at(-1);
    if (!link) throw new Error(`${owner} has no link to ${peerId}`);
    return link;
  }

  /** "from->to" for each signal of this kind sent, in order. */
  pairs(kind: ScreenSignal['kind']): string[] {
    return this.sent.filter((s) => s.signal.kind === kind).map((s) => `${s.from}->${s.to}`);
  }

  /** Delivers every signal in the order sent, letting each member's work run in between. */
  async settle(): Promise<void> {
    // Done when a few turns pass with nothing to deliver: a fake link's step takes at most one.
    let quiet = 0;
    for (let i = 0; i < 1000 && quiet < 3; i += 1) {
      await tick();
      const next = this.inbox.shift();
      if (next) this.machines.get(next.to)?.receive(next.from, next.signal);
      quiet = next ? 0 : quiet + 1;
    }
    if (quiet < 3) throw new Error('the signals never settled');
  }

  private makeMachine(peerId: string): Machine {
    const deps: ScreenDeps<FakeScreen, FakeStream> = {
      send: (to, signal) => this.send(peerId, to, signal),
      captureScreen: async () => {
        if (this.screenGate) await this.screenGate;
        if (this.noScreen.has(peerId)) throw new Error('NotReadableError');
        if (this.cancel.has(peerId)) return null;
        const screen = new FakeScreen();
        this.screens.set(peerId, screen);
        return screen;
      },
      createSenderLink: (viewer, _screen, handlers) =>
        this.addLink(peerId, viewer, 'sender', handlers),
      createViewerLink: (sharer, handlers) => this.addLink(peerId, sharer, 'viewer', handlers),
      now: () => this.timers.now,
      later: this.timers.laterFor(peerId),
    };
    return new ScreenShare(peerId, deps, (view, stream) => {
      this.views.set(peerId, view);
      this.streams.set(peerId, stream);
    });
  }

  private addLink(
    owner: string,
    peerId: string,
    role: FakeScreenLink['role'],
    handlers: FakeScreenLink['handlers'],
  ): FakeScreenLink {
    const link = new FakeScreenLink(owner, peerId, role, handlers);
    this.links.push(link);
    return link;
  }

  private send(from: string, to: string, signal: ScreenSignal): Promise<IpcResult<null>> {
    this.sent.push({ from, to, signal });
    if (this.throwing.has(to)) return Promise.reject(new Error('bridge down'));
    if (this.unreachable.has(to)) return Promise.resolve(NOT_FOUND);
    if (!this.lost.has(to)) this.inbox.push({ from, to, signal });
    return Promise.resolve({ ok: true, value: null });
  }
}

/**
 * One app's screen and links, recorded, with the relay through its API (the hook's tests).
 * Make it once per test: `createDeps` must stay the same function across renders.
 */
export function fakeScreenDevices() {
  const timers = new FakeTimers();
  const links: FakeScreenLink[] = [];
  const screens: FakeScreen[] = [];
  const createDeps = (api: LanrageApi): ScreenDeps<FakeScreen, FakeStream> => ({
    send: (to, signal) => api.sendScreenSignal({ to, signal }),
    captureScreen: () => {
      const screen = new FakeScreen();
      screens.push(screen);
      return Promise.resolve(screen);
    },
    createSenderLink: (peerId, _screen, handlers) => {
      const link = new FakeScreenLink('me', peerId, 'sender', handlers);
      links.push(link);
      return link;
    },
    createViewerLink: (peerId, handlers) => {
      const link = new FakeScreenLink('me', peerId, 'viewer', handlers);
      links.push(link);
      return link;
    },
    now: () => timers.now,
    later: timers.laterFor('me'),
  });
  return { links, screens, timers, createDeps };
}
