/** The invite form's fields as typed, read into a createInvite request with the shared rules. */
import { MAX_INVITE_USES } from '../../../../shared/access/protocol';
import { ipcContract, type IpcRequest } from '../../../../shared/ipc/contract';
import type { FormRead } from './party-form';

export interface InviteForm {
  /** Seconds, as the select's value. */
  expiry: string;
  /** Blank: no limit. */
  uses: string;
}

const USES_MESSAGE = `Uses must be a whole number from 1 to ${MAX_INVITE_USES}, or blank for no limit.`;

export function readInviteForm(form: InviteForm): FormRead<InviteForm, IpcRequest<'createInvite'>> {
  const uses = form.uses.trim();
  if (uses !== '' && !/^\d{1,6}$/.test(uses)) return { ok: false, errors: { uses: USES_MESSAGE } };
  const request = {
    expires_in_s: Number(form.expiry),
    ...(uses === '' ? {} : { max_uses: Number(uses) }),
  };
  const parsed = ipcContract.createInvite.request.safeParse(request);
  if (!parsed.success) {
    const usesWrong = parsed.error.issues.some((i) => i.path[0] === 'max_uses');
    return {
      ok: false,
      errors: usesWrong ? { uses: USES_MESSAGE } : { expiry: 'Pick when it expires.' },
    };
  }
  return { ok: true, value: parsed.data };
}
