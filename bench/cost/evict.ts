/**
 * What a socket write does to the CPU's caches, stood in for. In the real server every frame
 * is a `writev` into the kernel (~20 µs, bench:server), which evicts much of what the handler
 * had in cache, so the next message starts cold; this bench's counting sockets leave the
 * caches warm. An Evictor writes one word on each 64-byte line of a buffer of its size after
 * every frame a counting socket is given, on both sides alike: what that adds to ours beyond
 * raw ws is the price of the memory and code our handling touches per message.
 */
export class Evictor {
  private readonly words: Int32Array;
  runs = 0;

  constructor(readonly kib: number) {
    this.words = new Int32Array((kib * 1024) / 4);
  }

  run(): void {
    const words = this.words;
    // 16 four-byte words a 64-byte cache line. The writes stay in the buffer, which a test
    // reads (lineWrites), so they cannot be optimised away.
    for (let i = 0; i < words.length; i += 16) words[i] = words[i]! + 1;
    this.runs++;
  }

  /** Writes each cache line has had: `runs` for every one of them. */
  lineWrites(): number[] {
    const counts: number[] = [];
    for (let i = 0; i < this.words.length; i += 16) counts.push(this.words[i]!);
    return counts;
  }
}

/** `kib` 0: no eviction (the caches stay as the handler left them). */
export function evictorOf(kib: number): Evictor | null {
  return kib > 0 ? new Evictor(kib) : null;
}
