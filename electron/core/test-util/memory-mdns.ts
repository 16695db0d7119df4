/**
 * A multicast link in memory: every transport on the hub receives every packet sent on it
 * (its own included, like IP_MULTICAST_LOOP), asynchronously. A transport can be cut to
 * act as a host whose process crashed (it sends and hears nothing more, says no goodbye).
 */
import type { MdnsPacket } from '../lan/dns-sd-records';
import type { MdnsTransport } from '../lan/mdns-transport';

interface Member {
  address: string;
  handlers: ((packet: MdnsPacket, from: string) => void)[];
  alive: boolean;
}

export class MemoryMdnsHub {
  readonly sent: { from: string; packet: MdnsPacket }[] = [];
  private readonly members = new Set<Member>();

  transport(address: string): MdnsTransport & { crash(): void } {
    const member: Member = { address, handlers: [], alive: true };
    this.members.add(member);
    return {
      send: (packet) => this.deliver(member, packet),
      onPacket: (handler) => void member.handlers.push(handler),
      addresses: () => [address],
      close: () => {
        member.alive = false;
        this.members.delete(member);
        return Promise.resolve();
      },
      crash: () => {
        member.alive = false;
        this.members.delete(member);
      },
    };
  }

  /** Sends a packet as if from `address` (a stranger on the LAN). */
  inject(address: string, packet: MdnsPacket): void {
    this.deliver({ address, handlers: [], alive: true }, packet);
  }

  count(type: 'query' | 'response', from?: string): number {
    return this.sent.filter((s) => s.packet.type === type && (!from || s.from === from)).length;
  }

  private deliver(sender: Member, packet: MdnsPacket): void {
    if (!sender.alive) return;
    this.sent.push({ from: sender.address, packet });
    const copy = structuredClone(packet);
    queueMicrotask(() => {
      for (const m of this.members) for (const h of m.handlers) h(copy, sender.address);
    });
  }
}
