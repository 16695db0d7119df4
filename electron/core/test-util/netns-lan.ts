/**
 * A LAN made of Linux network namespaces, for tests that need real multicast between
 * real processes: one "switch" namespace holding a bridge per LAN, and N host namespaces
 * each joined to its LANs by veth pairs, with an address in 10.213.x.0/24 on each (x one
 * per LAN) and a multicast route by its first.
 * Nothing is created in the caller's own namespace, so the machine's network is never
 * touched; everything is removed by `destroy()` (namespaces from runs that died are
 * removed by the next run, once their process is gone). Needs root and iproute2.
 */
import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PREFIX = 'lrtest';
/** Every `ip` call is bounded: a stuck command fails the test instead of hanging it. */
const IP_TIMEOUT_MS = 10_000;

export interface LanHost {
  /** The namespace's name, for `ip netns exec`. */
  ns: string;
  /** Its address on its first LAN (eth0). */
  address: string;
  /** Its address on each LAN it is plugged into, eth0 first. */
  addresses: string[];
}

export interface NetnsLan {
  hosts: LanHost[];
  /** Starts `command args` inside a host's namespace (`ip netns exec`). */
  spawnIn(host: LanHost, command: string, args: string[], options?: SpawnOptions): ChildProcess;
  /** Runs `ip -n <host's namespace> …args` (its addresses, routes, links). */
  ipIn(host: LanHost, ...args: string[]): Promise<void>;
  /** Takes a host's first link down (its cable out; the kernel drops its routes) or up. */
  link(host: LanHost, state: 'up' | 'down'): Promise<void>;
  /** A firewall on the host refusing TCP connections to `port` (nftables' reject: a RST). */
  refuseTcp(host: LanHost, port: number): Promise<void>;
  /** A firewall on the host dropping multicast both ways (mDNS neither leaves nor arrives). */
  dropMulticast(host: LanHost): Promise<void>;
  destroy(): Promise<void>;
}

async function ip(...args: string[]): Promise<string> {
  const { stdout } = await run('ip', args, { timeout: IP_TIMEOUT_MS });
  return stdout;
}

/** Why a host's firewall cannot be set here (no nftables), or null when it can. */
export async function nftUnavailable(): Promise<string | null> {
  try {
    await run('nft', ['--version'], { timeout: IP_TIMEOUT_MS });
    return null;
  } catch {
    return 'nftables (`nft`) is not installed (.ci/run installs it)';
  }
}

/** Why the LAN cannot be built here, or null when it can. */
export async function netnsUnavailable(): Promise<string | null> {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'network namespaces need root (CI runs as root)';
  try {
    await ip('netns', 'list');
  } catch {
    return 'iproute2 (`ip`) is not installed (.ci/run installs it)';
  }
  return null;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Removes namespaces left by test runs whose process no longer exists. */
async function removeStale(): Promise<void> {
  const names = (await ip('netns', 'list')).split('\n').map((l) => l.split(' ')[0] ?? '');
  for (const name of names) {
    const pid = /^lrtest-(\d+)-/.exec(name)?.[1];
    if (pid && !alive(Number(pid))) await ip('netns', 'del', name).catch(() => undefined);
  }
}

/** Plugs host `index` into the LAN of `subnet` (bridge `br<subnet>`) as `dev`. */
async function plugIn(sw: string, ns: string, index: number, subnet: number, dev: string) {
  const address = `10.213.${subnet}.${index + 1}`;
  const port = `p${index}l${subnet}`;
  await ip('-n', sw, 'link', 'add', port, 'type', 'veth', 'peer', 'name', dev, 'netns', ns);
  await ip('-n', sw, 'link', 'set', port, 'master', `br${subnet}`, 'up');
  await ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', dev);
  await ip('-n', ns, 'link', 'set', dev, 'up');
  return address;
}

async function addHost(sw: string, ns: string, index: number, plan: HostPlan): Promise<LanHost> {
  await ip('netns', 'add', ns);
  await ip('-n', ns, 'link', 'set', 'lo', 'up');
  const addresses: string[] = [];
  for (const [i, subnet] of plan.subnets.entries()) {
    addresses.push(await plugIn(sw, ns, index, subnet, `eth${i}`));
  }
  // mDNS sends to 224.0.0.251: without a default route the kernel needs this one.
  if (plan.multicastRoute) await ip('-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', 'eth0');
  return { ns, address: addresses[0]!, addresses };
}

interface HostPlan {
  /** The third octet of its address on each LAN it is plugged into (eth0, eth1…). */
  subnets: number[];
  multicastRoute: boolean;
}

export interface NetnsLanOptions {
  /** The LANs (0, 1…: separate switches) each host is plugged into; default LAN 0 alone. */
  lansOf?: (host: number) => number[];
  /** Hosts given no multicast route, like a PC without a default route. */
  noMulticastRoute?: number[];
}

/** Builds a LAN of `count` hosts (2-16). Cleans up what it made if any step fails. */
export async function createNetnsLan(
  count: number,
  options: NetnsLanOptions = {},
): Promise<NetnsLan> {
  await removeStale();
  const tag = `${PREFIX}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
  const subnet = 1 + Math.floor(Math.random() * 240);
  const plans = Array.from({ length: count }, (_, i): HostPlan => ({
    subnets: (options.lansOf?.(i) ?? [0]).map((lan) => subnet + lan),
    multicastRoute: !options.noMulticastRoute?.includes(i),
  }));
  const made: string[] = [];
  const children = new Set<ChildProcess>();
  const destroy = async (): Promise<void> => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    for (const ns of made.reverse()) await ip('netns', 'del', ns).catch(() => undefined);
    made.length = 0;
  };
  try {
    const sw = `${tag}-sw`;
    await ip('netns', 'add', sw);
    made.push(sw);
    for (const s of new Set(plans.flatMap((p) => p.subnets))) {
      await ip('-n', sw, 'link', 'add', `br${s}`, 'type', 'bridge', 'mcast_snooping', '0');
      await ip('-n', sw, 'link', 'set', `br${s}`, 'up');
    }
    const hosts: LanHost[] = [];
    for (const [i, plan] of plans.entries()) {
      made.push(`${tag}-h${i}`);
      hosts.push(await addHost(sw, `${tag}-h${i}`, i, plan));
    }
    return {
      hosts,
      spawnIn(host, command, args, options = {}) {
        const child = spawn('ip', ['netns', 'exec', host.ns, command, ...args], options);
        children.add(child);
        return child;
      },
      ipIn: async (host, ...args) => void (await ip('-n', host.ns, ...args)),
      link: async (host, state) => void (await ip('-n', host.ns, 'link', 'set', 'eth0', state)),
      refuseTcp: async (host, port) => {
        const nft = (...args: string[]) => ip('netns', 'exec', host.ns, 'nft', ...args);
        await nft('add', 'table', 'inet', 'lrtest');
        await nft('add chain inet lrtest in { type filter hook input priority 0; }');
        await nft('add', 'rule', 'inet', 'lrtest', 'in', 'tcp', 'dport', String(port), 'reject');
      },
      dropMulticast: async (host) => {
        const nft = (...args: string[]) => ip('netns', 'exec', host.ns, 'nft', ...args);
        await nft('add', 'table', 'inet', 'lrmcast');
        for (const [chain, hook] of [
          ['in', 'input'],
          ['out', 'output'],
        ] as const) {
          await nft(`add chain inet lrmcast ${chain} { type filter hook ${hook} priority 0; }`);
          await nft('add', 'rule', 'inet', 'lrmcast', chain, 'ip', 'daddr', '224.0.0.0/4', 'drop');
        }
      },
      destroy,
    };
  } catch (err) {
    await destroy();
    throw err;
  }
}
