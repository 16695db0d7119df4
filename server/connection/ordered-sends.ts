/**
 * One connection's frames, sent in the order the server produced them. An answer that waits
 * for its commit holds its place; frames produced after it wait behind it. On a store of the
 * server's own, the other members hear of a change at once and only its answer waits for
 * the commit (group-commit.ts, `whenTellable`), so without this a client that just joined
 * could get the next member's `peer_joined` before the snapshot of the party it joined,
 * and drop it as covered by that snapshot.
 */

/** Sends what held the place (or nothing); call it exactly once. */
export type Release = (send?: () => void) => void;

interface Place {
  send: (() => void) | null;
  held: boolean;
  /** What the send was said to weigh (see `send`). */
  size: number;
}

export class OrderedSends {
  private readonly queue: Place[] = [];
  private waitingSize = 0;

  /** Whether anything is waiting (a held answer, or frames behind one). */
  get waiting(): boolean {
    return this.queue.length > 0;
  }

  /**
   * The sizes of the sends waiting: what the connection holds for a client beyond its
   * socket's buffer, so a client that never reads is cut before its held answer is sent.
   */
  get waitingBytes(): number {
    return this.waitingSize;
  }

  /** Runs `send` now, or after every place held before it is released; `size` counts then. */
  send(send: () => void, size = 0): void {
    if (this.queue.length === 0) return send();
    this.queue.push({ send, held: false, size });
    this.waitingSize += size;
  }

  /** Holds the next place; what is sent after it waits until it is released. */
  hold(): Release {
    const place: Place = { send: null, held: true, size: 0 };
    this.queue.push(place);
    return (send) => {
      if (!place.held) return;
      place.held = false;
      place.send = send ?? null;
      this.drain();
    };
  }

  private drain(): void {
    // A send may hold or send again (an answer's follow-ups): those go to the back.
    while (this.queue.length > 0 && !this.queue[0]!.held) {
      const place = this.queue.shift()!;
      this.waitingSize -= place.size;
      place.send?.();
    }
  }
}
