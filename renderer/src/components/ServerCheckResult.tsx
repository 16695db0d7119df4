import { useState } from 'react';
import type { ServerCheck } from '../../../shared/ipc/contract';
import { useStore } from '../store/context';
import { serverName, unencryptedServers } from '../../../shared/values/server-url';

export type CheckedServer = ServerCheck & { url: string };

/**
 * "Does this server answer?" before a server address is saved (Settings, the welcome): the
 * app checks it; an address that did not answer goes through only when the user submits
 * it again ("Save anyway").
 */
export function useServerCheck(current: string) {
  const checkServer = useStore((s) => s.checkServer);
  // `typed`: the field as it was checked ("host:port"), `url` what it means ("ws://host:port").
  const [check, setCheck] = useState<(CheckedServer & { typed: string }) | null>(null);
  const [checking, setChecking] = useState(false);
  /** True when `url` may be saved now: it answered, or the user insists after it did not. */
  async function mayUse(url: string): Promise<boolean> {
    if (check?.url === url && !check.reachable) return true;
    setChecking(true);
    const result = await checkServer(url);
    setChecking(false);
    setCheck({ ...result, url, typed: current.trim() });
    return result.reachable;
  }
  // A result speaks only for the address still in the field.
  const shown = check !== null && check.typed === current.trim() ? check : null;
  return { check: shown, checking, mayUse, anyway: shown !== null && !shown.reachable };
}

/**
 * `anyway`: what the form's button says to go on with an address that did not answer ("save it
 * anyway" in Settings, "start anyway" in the welcome, whose button is Start anyway).
 */
export function ServerCheckResult({
  check,
  anyway = 'save it anyway',
}: {
  check: CheckedServer | null;
  anyway?: string;
}) {
  if (!check) return <p className="check-result" role="status" data-testid="settings-check" />;
  const server = serverName(check.url);
  return (
    <p
      className={`check-result ${check.reachable ? 'is-ok' : 'is-bad'}`}
      role="status"
      data-testid="settings-check"
      data-reachable={String(check.reachable)}
    >
      <span aria-hidden="true">{check.reachable ? '✓ ' : '✕ '}</span>
      {check.reachable
        ? `${server} answered.`
        : // A sentence naming the server (server-probe.ts): a prefix here made "x: It did…".
          `${check.message} Check the address, or ${anyway}.`}
    </p>
  );
}

/** A server field's `aria-describedby`: its hint, and the note while it shows (or none). */
export function describedBy(hint: string, text: string, noteId: string): string | undefined {
  const ids = [hint, unencryptedServers(text).length > 0 ? noteId : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/**
 * Said under a server field while what is typed would be reached without TLS: the app sends
 * that server the party's password and its session, readable on every network between.
 */
export function UnencryptedNote({ text, id }: { text: string; id: string }) {
  const names = unencryptedServers(text);
  if (names.length === 0) return null;
  return (
    <span className="hint is-warning" id={id} data-testid={id}>
      {names.join(' and ')}
      {': not encrypted, so anyone on the networks between can read what LANrage sends it, ' +
        'party passwords included. Use wss:// or https:// if its host set up TLS.'}
    </span>
  );
}
