/**
 * Why a connection failed, in words a gamer can act on. ws's and Node's own texts ("connect
 * ECONNREFUSED 10.0.0.5:8669", "Opening handshake has timed out") reached the join dialog
 * as they were; the system's code stays beside the words for whoever reads the log.
 */
import { AppErrorCode, ControlPlaneError } from '../../../../shared/protocol/errors';

/** A system's or TLS's error code (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT). */
const CODE = /^[A-Z][A-Z0-9_]+$/;

/** `error`'s cause in words; `seconds`: the timeout it ran against. */
export function failureInWords(error: unknown, seconds: number): string {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const coded = (words: string): string =>
    typeof code === 'string' && CODE.test(code) ? `${words} (${code})` : words;
  if (/ECONNREFUSED/.test(text)) return coded('nothing is listening at that address');
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return coded('no computer has that name');
  if (/EHOSTUNREACH|ENETUNREACH|ENETDOWN/.test(text)) {
    return coded('this PC has no route to that address');
  }
  const status = /Unexpected server response: (\d+)/.exec(text)?.[1];
  if (status !== undefined) return `a web server answered (HTTP ${status}), not a LANrage server`;
  if (/timed? ?out|in time/i.test(text)) return coded(`no answer within ${seconds} s`);
  if (/self.signed/i.test(text)) {
    return coded('its TLS certificate is self-signed, and this PC does not trust it');
  }
  if (/certificate|SSL|TLS/i.test(text)) return coded('its TLS certificate is not trusted');
  return text;
}

/** The words alone, without the code kept for the log. */
export const withoutCode = (words: string): string => words.replace(/ \([A-Z][A-Z0-9_]+\)$/, '');

const DIAL_FAILED = /^Cannot reach the control server at \S+: (.*)$/s;

/** A failed dial of `shownUrl`, `why` in words (failureInWords): WsClient's error message. */
export const dialFailure = (shownUrl: string, why: string): string =>
  `Cannot reach the control server at ${shownUrl}: ${why}`;

/** The words of a failed dial's message (dialFailure), or undefined for any other. */
export const dialWords = (message: string): string | undefined => DIAL_FAILED.exec(message)?.[1];

/** What a server that answers hello with anything but `welcome` is (a 1.0 server: `error`). */
export const OLDER_PROTOCOL =
  'answered, but speaks an older LANrage protocol than this app needs (no welcome)';
export const OLDER_PROTOCOL_WORDS = `it ${OLDER_PROTOCOL}`;

/**
 * A server answered our hello with `what` instead of welcome: it is there and speaks, only
 * not our protocol. "No answer within 5 s" sent its user to check a right address.
 */
export class OlderProtocolError extends ControlPlaneError {
  constructor(what: string) {
    super(`The control server answered hello with ${what}: ${OLDER_PROTOCOL_WORDS}`, {
      code: AppErrorCode.BAD_ANSWER,
    });
  }
}
