/**
 * Runs commands beside a main one: `npm test` type-checks beside the lint. Each uses about 1.5
 * of two cores, so together they take about 110 s where one after the other took 147 s (and
 * the whole CI run, 20 minutes). Beside the unit tests instead, the tests' child servers
 * started too slowly for their limits. The main command's output streams; each other's is
 * printed whole once it ends, so they never interleave. Exits non-zero if any failed.
 *
 *   tsx tools/beside.ts "npm run typecheck" -- npm run lint
 */
import { spawn } from 'node:child_process';

interface Outcome {
  command: string;
  code: number;
  output: string;
}

function run(command: string, stream: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: stream ? 'inherit' : 'pipe' });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error) => chunks.push(Buffer.from(`${error.message}\n`)));
    child.on('close', (code, signal) => {
      const output = Buffer.concat(chunks).toString('utf8');
      resolve({ command, code: code ?? (signal ? 1 : 0), output });
    });
  });
}

async function main(argv: readonly string[]): Promise<number> {
  const split = argv.indexOf('--');
  if (split < 1 || split === argv.length - 1) {
    console.error('usage: tsx tools/beside.ts "check" ["check" …] -- main command');
    return 2;
  }
  const checks = argv.slice(0, split).map((command) => run(command, false));
  const led = await run(argv.slice(split + 1).join(' '), true);
  let failed = led.code !== 0;
  for (const check of await Promise.all(checks)) {
    console.log(`\n> ${check.command} (beside it)\n${check.output}`);
    if (check.code !== 0) {
      console.error(`${check.command} failed (exit ${check.code})`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
