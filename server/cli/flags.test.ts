import { describe, expect, it } from 'vitest';
import { cliRefusal } from '../test-util/cli-refusal';
import { parseCli } from './args';
import { parseAdminArgs } from './admin-command';
import { parseBackupArgs } from './backup-command';
import { runServerExpectingExit } from '../test-util/process';

const refusal = cliRefusal;

describe('a bad flag is refused in one plain line naming it', () => {
  it.each([
    [['--port'], '--port: needs a value'],
    [['--host', '--port', '1'], '--host: needs a value'],
    [['--rate-limit', '-1'], '--rate-limit "-1": must not be negative'],
    [['--max-connections', '-5'], '--max-connections "-5": must not be negative'],
    [['--rate-limit=-1'], '--rate-limit "-1": must not be negative'],
    [['--max-unsent-kib', '0'], '--max-unsent-kib "0": must be at least 64'],
    [['--max-connections', '0'], '--max-connections "0": must be at least 1'],
    [['--max-connections', '2000000'], '--max-connections "2000000": must be at most 1000000'],
    // A number too long was "must be a number": it is one, only too large.
    [
      ['--rate-limit', '99999999999999999999'],
      '--rate-limit "99999999999999999999": must be at most 1000000',
    ],
    [
      ['--max-connections', '99999999999999999999'],
      '--max-connections "99999999999999999999": must be at most 1000000',
    ],
    [
      ['--handshake-timeout', '99999999999'],
      '--handshake-timeout "99999999999": must be at most 86400',
    ],
    [['--handshake-timeout', '0'], '--handshake-timeout "0": must be more than 0'],
    [
      ['--handshake-timeout', '1.0005'],
      '--handshake-timeout "1.0005": must be a number of seconds, to the millisecond',
    ],
    [
      ['--heartbeat-interval', '1.0005'],
      '--heartbeat-interval "1.0005": must be a number of seconds, to the millisecond',
    ],
    [
      ['--cut-backoff', '0.0001'],
      '--cut-backoff "0.0001": must be a number of seconds, to the millisecond (0 = off)',
    ],
    [['--host', ''], '--host "": must not be empty'],
    [['--tls-cert', '', '--tls-key', 'k'], '--tls-cert "": must not be empty'],
    [['--port', '8667', '--port', '8668'], '--port: given more than once'],
    [['--redis=redis://a:1', '--redis', 'redis://b:2'], '--redis: given more than once'],
    [['-x'], "Unknown option '-x'"],
    // What an env file or a shell kept is shown: the quotes of `--env-file`, a trailing blank.
    [
      ['--log-level', '"warn"'],
      '--log-level "\\"warn\\"": must be one of debug, info, warn, error, silent',
    ],
    [['--port', '8667 '], '--port "8667 ": must be a whole number from 0 (any free port) to 65535'],
    [
      ['--host', '0.0.0.0 '],
      '--host "0.0.0.0 ": must be an address or host name, without blanks or quotes',
    ],
    [['--data-dir', ''], '--data-dir "": must not be empty'],
    // Control characters escaped; a long value cut.
    [
      ['--log-level', '\u001b[2J'],
      '--log-level "\\u001b[2J": must be one of debug, info, warn, error, silent',
    ],
    [
      ['--public-url', `https://${'a'.repeat(300)}`],
      `--public-url "https://${'a'.repeat(52)}"…: must be at most 200 characters`,
    ],
  ])('%j: %s', (argv, message) => {
    expect(refusal(argv)).toBe(message);
  });

  // The URL may hold Redis's password: never repeated (the password file's content never is).
  it('--redis: a refused URL is not repeated', () => {
    expect(refusal(['--redis', 'redis:/:hunter2@x'])).toMatch(/^--redis: must be redis:\/\//);
    expect(refusal(['--redis', 'redis:/:hunter2@x'])).not.toContain('hunter2');
  });

  it('still reads a value given with = or after the flag', () => {
    expect(parseCli(['--port=0', '--rate-limit', '0'], {})).toMatchObject({
      port: 0,
      rateLimit: 0,
    });
  });

  it('backup and admin refuse a repeated or empty flag the same way', () => {
    expect(() => parseBackupArgs(['f', '--data-dir', 'a', '--data-dir', 'b'], {})).toThrow(
      /^--data-dir: given more than once$/,
    );
    expect(() => parseBackupArgs(['f', '--data-dir'], {})).toThrow(/^--data-dir: needs a value$/);
    expect(() => parseAdminArgs(['parties', '--token-file'])).toThrow(
      /^--token-file: needs a value\. Usage: admin /,
    );
    const twice = ['parties', '--url', 'http://a', '--url', 'http://b', '--token-file', 'f'];
    expect(() => parseAdminArgs(twice)).toThrow(/^--url: given more than once\. Usage: admin /);
  });

  it('the process exits 2 with that line and the usage, nothing more', async () => {
    const { code, stdout, stderr } = await runServerExpectingExit(['--rate-limit', '-1']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      'lanrage-server: --rate-limit "-1": must not be negative',
      expect.stringMatching(/^usage: npm run server -- \[options\] .*every flag: --help$/),
    ]);
  });

  it('backup: a bad flag gives the usage of a command that exists, exit 2', async () => {
    const { code, stderr } = await runServerExpectingExit(['backup', 'a.db', '--data-dir']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      'lanrage-server backup: --data-dir: needs a value',
      'usage: npm run server -- backup FILE [--data-dir DIR] (a built server: node cli.js backup …)',
    ]);
  });
});
