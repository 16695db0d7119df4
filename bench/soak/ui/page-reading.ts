/**
 * What the renderer soak reads of the page over the DevTools protocol, with the host alone
 * in its party: the JS heap after collections, the DOM's counters, and the page's values
 * counted in a heap snapshot (the heap less compiled code, V8's metadata and the browser's
 * own entries, which grow for minutes whatever the page does).
 */
import { writeFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
import { dataBytes, groupNodes } from '../heap-groups';

export interface PageReading {
  cycles: number;
  /** Runtime.getHeapUsage after collections, bytes: compiled code and the browser's own too. */
  js_heap_used: number;
  js_heap_total: number;
  /** The self bytes of the page's values in its heap snapshot (heap-groups.ts dataBytes). */
  data_bytes: number;
  /** Memory.getDOMCounters. */
  dom_nodes: number;
  js_event_listeners: number;
  documents: number;
}

const GC_ROUNDS = 3;

/** The page's heap snapshot as text (V8 collects garbage before it takes one). */
async function takeSnapshot(cdp: CDPSession): Promise<string> {
  const chunks: string[] = [];
  const onChunk = ({ chunk }: { chunk: string }): void => void chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  return chunks.join('');
}

/** Collects until the heap stops shrinking (at most 2 × GC_ROUNDS times), then reads it. */
async function collectedUsage(cdp: CDPSession): Promise<{ usedSize: number; totalSize: number }> {
  let used = Number.POSITIVE_INFINITY;
  let usage = { usedSize: 0, totalSize: 0 };
  for (let round = 0; round < GC_ROUNDS * 2; round++) {
    await cdp.send('HeapProfiler.collectGarbage');
    usage = await cdp.send('Runtime.getHeapUsage');
    if (round >= GC_ROUNDS - 1 && usage.usedSize >= used - 1024) break;
    used = usage.usedSize;
  }
  return usage;
}

/** One checkpoint's reading; the snapshot is also written to `snapshotFile` when given. */
export async function readPage(
  page: Page,
  cycles: number,
  snapshotFile: string | null,
): Promise<PageReading> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const usage = await collectedUsage(cdp);
    const dom = await cdp.send('Memory.getDOMCounters');
    const snapshot = await takeSnapshot(cdp);
    if (snapshotFile) writeFileSync(snapshotFile, snapshot);
    return {
      cycles,
      js_heap_used: usage.usedSize,
      js_heap_total: usage.totalSize,
      data_bytes: dataBytes(groupNodes(snapshot)),
      dom_nodes: dom.nodes,
      js_event_listeners: dom.jsEventListeners,
      documents: dom.documents,
    };
  } finally {
    await cdp.detach();
  }
}
