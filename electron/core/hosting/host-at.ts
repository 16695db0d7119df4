/**
 * A LAN party's host reached where its invite link says it answers (`at=10.0.0.5:8669`), for a
 * guest whose network keeps mDNS from getting through (a Wi-Fi isolating its clients, multicast
 * filtered, UDP 5353 dropped): before, such a link named the host's certificate and no address,
 * and the join ended "not heard" with the host one hop away.
 *
 * An address from a link is no more trusted than one from an mDNS answer: each is dialled over
 * TLS only, with a handshake hung up before anything is sent (pin-probe.ts), and the first to
 * show the certificate the link's pin names is the host; one showing another certificate, or
 * none, is never dialled in plain (the URL names no plain port to fall back to).
 */
import { createHash } from 'node:crypto';
import { ControlPlaneError } from '../../../shared/protocol/errors';
import { PartyInfo } from '../../../shared/model';
import { WS_PATH } from '../../../shared/protocol/protocol';
import { probePin, type PinAnswer } from '../client/link/pin-probe';
import { PIN_PARAM } from '../client/link/pinned-tls';
import type { AtWatch } from './at-watch';
import type { DiscoveredHost } from './discovery-board';
import type { HostSource } from './host-sources';
import { lookFor, type LookForDeps } from './look-for';

/** The host at `address` (`10.0.0.5:8669`) as a place to dial: TLS, checked against `pin`. */
export function hostAt(partyId: string, address: string, pin: string): DiscoveredHost {
  const controlUrl = `wss://${address}${WS_PATH}?${PIN_PARAM}=${pin}`;
  return {
    // Nothing is known of the party before its host answers: it is never listed from here.
    party: new PartyInfo({
      partyId,
      name: partyId,
      hostId: '',
      createdAt: new Date(0),
      peers: new Map(),
    }),
    controlUrl,
    hostPid: 0,
    // The session with that host is kept under a key of its own, as for an announced one.
    hostInstance: createHash('sha256').update(controlUrl).digest('hex').slice(0, 16),
  };
}

/**
 * The parties we joined at an address their link named, where they are: a relink after a cut
 * finds the host there again (hosting-plane.ts), as an announced one is found where it is
 * announced. Asked before the LAN's announcements (its source is added first).
 */
export class AtSource implements HostSource {
  private readonly places = new Map<string, DiscoveredHost>();
  /** Taken from the watch's listing by a Join still under way or since: see drop. */
  private readonly fromWatch = new Map<string, DiscoveredHost>();

  /**
   * `changed`: one kept or dropped (the state file keeps them: `host_at`). `watch`: where a
   * party we were in is looked for once we are out of it (at-watch.ts).
   */
  constructor(
    private readonly changed: () => void = () => undefined,
    readonly watch: AtWatch | null = null,
  ) {}

  hosts(): ReadonlyMap<string, DiscoveredHost> {
    return this.places;
  }

  onChange(): () => void {
    return () => undefined;
  }

  keep(partyId: string, host: DiscoveredHost): void {
    this.places.set(partyId, host);
    this.fromWatch.delete(partyId);
    this.watch?.drop(partyId);
    this.changed();
  }

  /**
   * Linked at `url` for a Join of a party the watch lists: kept where it was found, or (linked
   * where mDNS heard it) no longer looked for, its host answering every look while we are in it.
   */
  taken(partyId: string, url: string | null): void {
    const listed = this.watch?.hosts().get(partyId);
    if (!listed) return;
    if (listed.controlUrl === url) this.keep(partyId, listed);
    else this.watch?.drop(partyId);
    this.fromWatch.set(partyId, listed);
  }

  /**
   * `wasIn`: a party we were in (not a join that failed), looked for there from now on. A
   * failed join from the watch's listing (full, a wrong password) gives it back to the watch:
   * its row stays, to be tried again.
   */
  drop(partyId: string, wasIn = true): void {
    const listed = this.fromWatch.get(partyId);
    this.fromWatch.delete(partyId);
    const host = this.places.get(partyId);
    const watchAgain = wasIn ? host : listed;
    if (watchAgain) this.watch?.remember(partyId, watchAgain);
    if (host && this.places.delete(partyId)) this.changed();
  }

  /** party id → the address its host answered at (`10.0.0.5:8669`), to be saved. */
  get kept(): ReadonlyMap<string, string[]> {
    const at = [...this.places].map(([id, host]): [string, string[]] => [
      id,
      [new URL(host.controlUrl).host],
    ]);
    return new Map(at);
  }

  /** What the last run kept, for the `active` parties (those we are in) with a pin kept. */
  restore(
    at: ReadonlyMap<string, readonly string[]>,
    pins: ReadonlyMap<string, string>,
    active: ReadonlySet<string>,
  ): void {
    for (const [partyId, [address]] of at) {
      const pin = active.has(partyId) ? pins.get(partyId) : undefined;
      if (pin !== undefined && address !== undefined) {
        this.places.set(partyId, hostAt(partyId, address, pin));
      }
    }
  }
}

/**
 * lookFor (look-for.ts) with the addresses a link names: while the LAN is asked for the party,
 * each is asked for the pinned certificate (`probes`), and the first showing it is `taken` as
 * soon as it does: a guest whose network blocks mDNS joins in one TLS handshake, not after the
 * 3 s wait, and one it lets through still finds its host where it is announced. Neither:
 * NotReachedAt, naming each address and what it answered.
 */
export async function lookForAt(
  deps: LookForDeps<DiscoveredHost>,
  probes: AtProbes | null,
  partyId: string,
  taken: (shown: DiscoveredHost[]) => DiscoveredHost[],
): Promise<DiscoveredHost[]> {
  if (!probes) return lookFor(deps);
  const locate = async (): Promise<DiscoveredHost[]> => {
    const heard = await deps.locate();
    return heard.length > 0 ? heard : taken(probes.shown);
  };
  const watch = (listener: () => void): (() => void) => {
    const stops = [deps.watch(listener), probes.watch(listener)];
    return () => stops.forEach((stop) => stop());
  };
  const found = await lookFor({ ...deps, locate, watch });
  if (found.length > 0) return found;
  await probes.decided();
  const shown = await locate();
  if (shown.length === 0) throw probes.failure(partyId);
  return shown;
}

/** What each address answered: the pinned certificate, another, or nothing in time. */
export class AtProbes {
  private readonly answers = new Map<DiscoveredHost, PinAnswer>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly hosts: readonly DiscoveredHost[],
    probe: (url: string) => Promise<PinAnswer> = probePin,
  ) {
    // All at once: the first showing the pin is joined without waiting for the others.
    for (const host of hosts) {
      void Promise.resolve()
        .then(() => probe(host.controlUrl))
        .catch((): PinAnswer => 'silent')
        .then((answer) => {
          this.answers.set(host, answer);
          for (const listener of [...this.listeners]) listener();
        });
    }
  }

  /** The hosts that showed the pinned certificate, in the link's order. */
  get shown(): DiscoveredHost[] {
    return this.hosts.filter((host) => this.answers.get(host) === 'shown');
  }

  /** Told of each answer; returns stop. */
  watch(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once one showed the pinned certificate, or every address answered. */
  decided(): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.shown.length === 0 && this.answers.size < this.hosts.length) return;
        stop();
        resolve();
      };
      const stop = this.watch(check);
      check();
    });
  }

  /** Why none is the host, in words: each address and what it answered. */
  failure(partyId: string): NotReachedAt {
    const each = this.hosts.map((host) => {
      const { host: address } = new URL(host.controlUrl);
      const other = this.answers.get(host) === 'other';
      return `${address} (${other ? "another certificate than the host's your link names" : 'no answer'})`;
    });
    return new NotReachedAt(
      `Party ${partyId} was neither found on your network nor reachable at ${each.join(', ')}. ` +
        "Its host's LANrage may be closed, or its PC on another network, or a firewall there " +
        'keeps you out: ask the host.',
      { code: 'not_found', field: 'invite' },
    );
  }
}

/** A join by a link naming its host's addresses found it neither announced nor there. */
export class NotReachedAt extends ControlPlaneError {}
