/**
 * Trust on first use of a LAN host's certificate, for as long as we are in its party (kept
 * in the state file, so a restart does not trust afresh whoever announces it first). The
 * pin our link to the party's host was made with is kept; after that, an announcement of the
 * party with another pin (or none) is not taken for its host, since whoever can forge mDNS
 * answers could move us to their PC with it, and the host is no longer dialled in plain when
 * its TLS port does not answer, since whoever can block that port could then read the link.
 * A host whose certificate really changed (its `keys/` reset) is joined again after leaving.
 */
import { pinOf } from '../client/link/pinned-tls';

/** How many parties left are remembered with their host's pin (lastOf). */
const FORMER_MOST = 8;

export class HostPins {
  private readonly pins = new Map<string, string>();
  /** Pins of the last parties forgotten, oldest first: no longer trusted by, only named. */
  private readonly former = new Map<string, string>();

  /** `changed`: a pin was kept or forgotten (the state file keeps them: `host_pins`). */
  constructor(private readonly changed: () => void = () => undefined) {}

  /** The pins kept, to be saved: a restarted app trusts only these hosts for their parties. */
  get kept(): ReadonlyMap<string, string> {
    return this.pins;
  }

  /** The pins the last run kept, for the parties `stillIn` says we are still in. */
  restore(pins: ReadonlyMap<string, string>, stillIn: (partyId: string) => boolean): void {
    for (const [partyId, pin] of pins) if (stillIn(partyId)) this.pins.set(partyId, pin);
  }

  /** Keeps the pin of `url`, which a TLS link to `partyId`'s host was just made to. */
  linked(partyId: string, url: string): void {
    const pin = pinOf(url);
    if (pin === null || this.pins.has(partyId)) return;
    this.pins.set(partyId, pin);
    this.changed();
  }

  /** Keeps the pin of `url` for every party `homes` places there (a TLS link just made). */
  linkedAt(homes: ReadonlyMap<string, string>, url: string): void {
    for (const [partyId, home] of homes) if (home === url) this.linked(partyId, url);
  }

  /** Whether a party `homes` places at `url` keeps a pin: then it is not dialled in plain. */
  keepsAnyAt(homes: ReadonlyMap<string, string>, url: string): boolean {
    for (const [partyId, home] of homes) if (home === url && this.pins.has(partyId)) return true;
    return false;
  }

  /** Whether `partyId` announced at `url` may be its host: no pin kept, or the same one. */
  trusts(partyId: string, url: string): boolean {
    const kept = this.pins.get(partyId);
    return kept === undefined || pinOf(url) === kept;
  }

  forget(partyId: string): void {
    const pin = this.pins.get(partyId);
    if (pin === undefined) return;
    this.pins.delete(partyId);
    this.former.delete(partyId);
    this.former.set(partyId, pin);
    for (const id of [...this.former.keys()].slice(0, -FORMER_MOST)) this.former.delete(id);
    this.changed();
  }

  /** The pin kept for `partyId`, or last kept for it (not saved: this run only). */
  lastOf(partyId: string): string | undefined {
    return this.pins.get(partyId) ?? this.former.get(partyId);
  }
}

/** Told when `name` is announced by `address` with another pin than its host showed. */
export function impostorNotice(name: string, address: string): string {
  return (
    `Another PC on your network (${address}) announced ${name} with a certificate other ` +
    "than its host's. LANrage stays with the PC you joined."
  );
}

/** Told when the host of `name`, which served TLS, stops answering there. */
export function keptEncryptedNotice(name: string): string {
  return (
    `The host of ${name} stopped answering on its encrypted port, and LANrage does not reach ` +
    'it unencrypted instead: its firewall may have changed, or something on your network ' +
    'blocks it.'
  );
}

/** Why a join by an invite link naming its host's certificate did not go ahead. */
export function notTheInvitedHost(address: string): string {
  return (
    `The party is announced on your network by a PC (${address}) that is not the host your ` +
    'invite link names, so LANrage did not join it. Ask your host for a new link: if their ' +
    'LANrage was not reinstalled, someone on your network may be pretending to host it.'
  );
}
