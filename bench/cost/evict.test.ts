import { describe, expect, it } from 'vitest';
import { Evictor, evictorOf } from './evict';
import { NullSocket } from './rig';

describe('Evictor', () => {
  it('writes every 64-byte line of its buffer once a run', () => {
    const evictor = new Evictor(4);
    evictor.run();
    evictor.run();
    evictor.run();
    expect(evictor.runs).toBe(3);
    // 4 KiB: 64 lines of 64 bytes, each written three times.
    expect(evictor.lineWrites()).toEqual(Array<number>(64).fill(3));
  });

  it('is none for 0 KiB, so the caches stay as the handler left them', () => {
    expect(evictorOf(0)).toBeNull();
    expect(evictorOf(32)?.kib).toBe(32);
  });

  it('runs after every frame a counting socket is given, and never without one', () => {
    const evictor = new Evictor(1);
    const socket = new NullSocket(evictor);
    socket.send('{"type":"heartbeat_ack"}');
    socket.send(Buffer.from('{"type":"peer_joined"}'));
    expect(socket.frames).toBe(2);
    expect(evictor.runs).toBe(2);
    new NullSocket().send('x');
    expect(evictor.runs).toBe(2);
  });
});
