/** Where benchmark results go and what every results file says about the machine. */
import { cpus, totalmem } from 'node:os';
import { openSync, writeSync, fsyncSync, closeSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeDirFor } from '../../electron/core/state/make-dirs';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

export interface MachineInfo {
  cores: number;
  cpu_model: string;
  memory_mb: number;
  node: string;
  platform: string;
  date: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cores: list.length,
    cpu_model: list[0]?.model ?? 'unknown',
    memory_mb: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
  };
}

/** Atomic write (temp + fsync + rename): a reader never sees half a results file. */
export function writeResults(path: string, data: unknown): void {
  makeDirFor(path);
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, `${JSON.stringify(data, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** A target judged on one run (the soaks'). */
export interface JudgedTarget {
  target: string;
  value: number | string;
  met: boolean;
}

/** Writes `results` to `out` when one is given, then prints each target it missed. */
export function finishResults(
  results: { targets: Record<string, JudgedTarget> },
  out: string | undefined,
): void {
  if (out) {
    writeResults(out, results);
    console.log(`results: ${out}`);
  }
  const missed = Object.entries(results.targets).filter(([, t]) => !t.met);
  for (const [name, t] of missed) console.log(`MISSED ${name}: ${t.target} (${t.value})`);
}
