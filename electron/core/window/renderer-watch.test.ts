import { describe, expect, it } from 'vitest';
import { RendererWatch, type MessageBox, type WatchedWindow } from './renderer-watch';

/** A window whose questions the test answers, recording what the watch did to it. */
function rig() {
  let now = 0;
  const done: string[] = [];
  const told: MessageBox[] = [];
  const questions: { answer: (choice: number) => void; signal: AbortSignal }[] = [];
  const window: WatchedWindow = {
    reload: () => done.push('reload'),
    tell: (box) => told.push(box),
    ask: (box, signal) =>
      new Promise((resolve) => {
        done.push(`ask ${box.buttons.join('/')}`);
        questions.push({ answer: resolve, signal });
        signal.addEventListener('abort', () => resolve(0));
      }),
  };
  const watch = new RendererWatch(window, () => now, { reloads: 3, windowMs: 60_000 });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { watch, done, told, questions, settle, advance: (ms: number) => (now += ms) };
}

describe('RendererWatch', () => {
  it('a crashed page is loaded again; a window closing normally is left alone', () => {
    const { watch, done, told } = rig();
    watch.gone('clean-exit');
    expect(done).toEqual([]);
    watch.gone('crashed');
    watch.gone('oom');
    expect(done).toEqual(['reload', 'reload']);
    expect(told).toEqual([]);
  });

  it('a page that keeps crashing is left closed with words, and showing the window loads it', () => {
    const { watch, done, told, advance } = rig();
    for (let i = 0; i < 3; i++) {
      watch.gone('crashed');
      advance(10_000);
    }
    expect(done).toEqual(['reload', 'reload', 'reload']);
    watch.gone('crashed');
    expect(done).toHaveLength(3);
    expect(told).toEqual([
      {
        message: "LANrage's window keeps closing unexpectedly",
        detail: expect.stringContaining('stopped (crashed) 4 times in 60 s') as string,
      },
    ]);
    expect(told[0]!.detail).toContain('Show LANrage in the tray menu');
    watch.shown();
    expect(done).toHaveLength(4);
    // Counted afresh after the user asked for it.
    watch.gone('crashed');
    expect(done).toHaveLength(5);
    watch.shown();
    expect(done).toHaveLength(5);
  });

  it('crashes spread over more than the window are each reloaded', () => {
    const { watch, done, told, advance } = rig();
    for (let i = 0; i < 8; i++) {
      watch.gone('crashed');
      advance(30_001);
    }
    expect(done.filter((d) => d === 'reload')).toHaveLength(8);
    expect(told).toEqual([]);
  });

  it('a page that cannot start is not reloaded: the user is told to reinstall', () => {
    const { watch, done, told } = rig();
    watch.gone('integrity-failure');
    expect(done).toEqual([]);
    expect(told[0]!.message).toBe("LANrage's window could not start");
    expect(told[0]!.detail).toContain('(integrity-failure); reinstalling LANrage should mend it');
  });

  it('a hung page: one question; Reload reloads, Wait does nothing', async () => {
    const { watch, done, questions, settle } = rig();
    watch.unresponsive();
    watch.unresponsive();
    expect(done).toEqual(['ask Wait/Reload']);
    questions[0]!.answer(1);
    await settle();
    expect(done).toEqual(['ask Wait/Reload', 'reload']);
    watch.unresponsive();
    questions[1]!.answer(0);
    await settle();
    expect(done).toEqual(['ask Wait/Reload', 'reload', 'ask Wait/Reload']);
  });

  it('the question closes when the page answers again, or dies', async () => {
    const { watch, done, questions, settle } = rig();
    watch.unresponsive();
    watch.responsive();
    await settle();
    expect(questions[0]!.signal.aborted).toBe(true);
    watch.unresponsive();
    watch.gone('crashed');
    await settle();
    expect(questions[1]!.signal.aborted).toBe(true);
    expect(done).toEqual(['ask Wait/Reload', 'ask Wait/Reload', 'reload']);
  });
});
