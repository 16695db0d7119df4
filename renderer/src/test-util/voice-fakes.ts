/**
 * Doubles for voice chat: a microphone, a PeerLink that records what the mesh asks of it, a
 * relay that carries signals between meshes (one per member) only when the test says so, and
 * waits (a failed link's retries) that end only when the test fires them.
 */
import type { IpcResult, LanrageApi } from '../../../shared/ipc/contract';
import type { VoiceSignal } from '../../../shared/media/voice';
import { VoiceMesh } from '../voice/voice-mesh';
import { FakePeerLink, tick } from './fake-peer-link';
import { FakeTimers } from './fake-timers';
import type {
  LinkHandlers,
  MicStream,
  VoiceDeps,
  VoiceLink,
  VoiceView,
} from '../voice/voice-types';

export class FakeMic implements MicStream {
  muted = false;
  stopped = false;
  setMuted(muted: boolean): void {
    this.muted = muted;
  }
  stop(): void {
    this.stopped = true;
  }
}

/** A voice link: records each call as a line, in order (fake-peer-link.ts). */
export class FakeLink extends FakePeerLink<LinkHandlers> implements VoiceLink {
  /** The volume last set, 0..1 (a new link plays at 1 until told). */
  volume = 1;

  setVolume(fraction: number): void {
    this.volume = fraction;
  }
}

export interface Sent {
  from: string;
  to: string;
  signal: VoiceSignal;
}

export { tick };

const NOT_FOUND: IpcResult<null> = {
  ok: false,
  error: { code: 'not_found', message: 'That member is not connected.' },
};

/** Members' meshes and the relay between them; signals wait in `inbox` until `settle()`. */
export class FakeVoiceNet {
  readonly sent: Sent[] = [];
  readonly inbox: Sent[] = [];
  readonly meshes = new Map<string, VoiceMesh<FakeMic>>();
  readonly views = new Map<string, VoiceView>();
  readonly links: FakeLink[] = [];
  readonly timers = new FakeTimers();
  /** Each member's newest microphone. */
  readonly mics = new Map<string, FakeMic>();
  /** Sends to these answer not_found. */
  readonly unreachable = new Set<string>();
  /** Sends to these are taken, and never delivered (their PC froze with its link still open). */
  readonly lost = new Set<string>();
  /** Sends to these throw (a bridge that is down). */
  readonly throwing = new Set<string>();
  /** These members' microphones do not open. */
  readonly noMic = new Set<string>();
  /** How many of the next links cannot be made (their RTCPeerConnection throws). */
  refuseLinks = 0;
  /** Opening a microphone waits for this when set. */
  micGate: Promise<void> | null = null;

  /** A mesh for each member, all told the party is exactly these members. */
  constructor(members: readonly string[]) {
    for (const peerId of members) this.meshes.set(peerId, this.makeMesh(peerId));
    for (const mesh of this.meshes.values()) mesh.membersChanged(members);
    // Each member out of voice asks the others once; nobody is in voice yet to answer, so
    // these asks are dropped here and the tests see only what follows.
    this.sent.length = 0;
    this.inbox.length = 0;
  }

  mesh(peerId: string): VoiceMesh<FakeMic> {
    const mesh = this.meshes.get(peerId);
    if (!mesh) throw new Error(`no member ${peerId}`);
    return mesh;
  }

  view(peerId: string): VoiceView {
    return this.views.get(peerId) ?? this.mesh(peerId).view();
  }

  /** The links `owner` made to `peerId`, oldest first. */
  linksOf(owner: string, peerId: string): FakeLink[] {
    return this.links.filter((l) => l.owner === owner && l.peerId === peerId);
  }

  /** The newest link `owner` made to `peerId`. */
  link(owner: string, peerId: string): FakeLink {
    const link = this.linksOf(owner, peerId).at(-1);
    if (!link) throw new Error(`${owner} has no link to ${peerId}`);
    return link;
  }

  sentOf(kind: VoiceSignal['kind']): Sent[] {
    return this.sent.filter((s) => s.signal.kind === kind);
  }

  /** Delivers every signal in the order sent, letting each member's work run in between. */
  async settle(): Promise<void> {
    // Done when a few turns pass with nothing to deliver: a fake link's step takes at most one.
    let quiet = 0;
    for (let i = 0; i < 1000 && quiet < 3; i += 1) {
      await tick();
      const next = this.inbox.shift();
      if (next) this.meshes.get(next.to)?.receive(next.from, next.signal);
      quiet = next ? 0 : quiet + 1;
    }
    if (quiet < 3) throw new Error('the signals never settled');
  }

  private makeMesh(peerId: string): VoiceMesh<FakeMic> {
    const deps: VoiceDeps<FakeMic> = {
      send: (to, signal) => this.send(peerId, to, signal),
      openMicrophone: async () => {
        if (this.micGate) await this.micGate;
        if (this.noMic.has(peerId)) throw new Error('NotAllowedError');
        const mic = new FakeMic();
        this.mics.set(peerId, mic);
        return mic;
      },
      createLink: (other, _mic, handlers) => {
        if (this.refuseLinks > 0) {
          this.refuseLinks -= 1;
          throw new Error('no more connections');
        }
        const link = new FakeLink(peerId, other, handlers);
        this.links.push(link);
        return link;
      },
      later: this.timers.laterFor(peerId),
      now: () => this.timers.now,
    };
    return new VoiceMesh(peerId, deps, (view) => this.views.set(peerId, view));
  }

  private send(from: string, to: string, signal: VoiceSignal): Promise<IpcResult<null>> {
    this.sent.push({ from, to, signal });
    if (this.throwing.has(to)) return Promise.reject(new Error('bridge down'));
    if (this.unreachable.has(to)) return Promise.resolve(NOT_FOUND);
    if (!this.lost.has(to)) this.inbox.push({ from, to, signal });
    return Promise.resolve({ ok: true, value: null });
  }
}

/**
 * One app's microphone and links, recorded, with the relay through its API (the hook's
 * tests). Make it once per test: `createDeps` must stay the same function across renders.
 */
export function fakeDevices() {
  const links: FakeLink[] = [];
  const mics: FakeMic[] = [];
  const timers = new FakeTimers();
  const createDeps = (api: LanrageApi): VoiceDeps<FakeMic> => ({
    send: (to, signal) => api.sendVoiceSignal({ to, signal }),
    openMicrophone: () => {
      const mic = new FakeMic();
      mics.push(mic);
      return Promise.resolve(mic);
    },
    createLink: (peerId, _mic, handlers) => {
      const link = new FakeLink('me', peerId, handlers);
      links.push(link);
      return link;
    },
    later: timers.laterFor('me'),
    now: () => timers.now,
  });
  return { links, mics, timers, createDeps };
}
