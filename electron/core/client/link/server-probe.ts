/**
 * Settings' "does this server answer?" check, run by the app (main or headless), never by
 * the renderer: connect to the address as the control plane would, say hello, and see
 * whether a LANrage control server answers within a few seconds.
 */
import type { ServerCheck } from '../../../../shared/ipc/contract';
import { ControlPlaneError } from '../../../../shared/protocol/errors';
import { silentLogger } from '../../../../shared/logger';
import { controlServerUrls, serverName } from '../../../../shared/values/server-url';
import { helloMessage, toWebSocketUrl } from './session';
import { systemClock } from '../../../../shared/time/clock';
import {
  dialWords,
  failureInWords,
  OLDER_PROTOCOL,
  OlderProtocolError,
  withoutCode,
} from './connect-words';
import { WsClient } from './ws-client';

export const PROBE_TIMEOUT_MS = 5000;

export interface ProbeOptions {
  timeoutMs?: number;
  /** Extra trusted CA (PEM) for wss://, as the control plane would use. */
  ca?: string | Buffer;
}

/** Why the check failed, in words (WsClient's dial says its own: connect-words.ts). */
function reason(error: unknown, seconds: number): string {
  const dial = error instanceof Error ? dialWords(error.message) : undefined;
  return withoutCode(dial ?? failureInWords(error, seconds));
}

/** A sentence closed with a full stop, unless it has its own mark. */
const closed = (words: string): string => (/[.!?]$/.test(words) ? words : `${words}.`);

/**
 * Every server of a list must answer; the first that does not is named. Each message is a
 * whole sentence whose subject is the server ("x.example did not answer: …"): shown as it is,
 * "x.example: It did not answer: …" had two colons and a capital after the first.
 */
export async function probeControlServer(
  setting: string,
  options: ProbeOptions = {},
): Promise<ServerCheck> {
  const urls = controlServerUrls(setting) ?? [setting];
  if (urls.length === 1) return probeOne(setting, options);
  for (const url of urls) {
    const check = await probeOne(url, options);
    if (!check.reachable) return check;
  }
  return { reachable: true, message: `All ${urls.length} answered.` };
}

async function probeOne(serverUrl: string, options: ProbeOptions): Promise<ServerCheck> {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const seconds = Math.max(1, Math.round(timeoutMs / 1000));
  const name = serverName(serverUrl);
  let client: WsClient | null = null;
  try {
    client = await WsClient.connect(toWebSocketUrl(serverUrl), {
      clock: systemClock,
      logger: silentLogger,
      connectTimeoutMs: timeoutMs,
      requestTimeoutMs: timeoutMs,
      ...(options.ca ? { ca: options.ca } : {}),
      onPush: () => undefined,
      onClose: () => undefined,
    });
    const answer = await client.hello(helloMessage(null));
    if (answer.type === 'welcome') return { reachable: true, message: `${name} answered.` };
    const what = `${name} answered, but not as a LANrage control server.`;
    return { reachable: false, message: what };
  } catch (error) {
    if (error instanceof OlderProtocolError) {
      return { reachable: false, message: `${name} ${OLDER_PROTOCOL}.` };
    }
    if (error instanceof ControlPlaneError && error.code === 'bad_request') {
      return { reachable: false, message: closed(error.message) };
    }
    return { reachable: false, message: `${name} did not answer: ${reason(error, seconds)}.` };
  } finally {
    client?.close();
  }
}
