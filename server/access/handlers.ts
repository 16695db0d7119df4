/**
 * The handlers of issue 10's rules (protocol 1.2), gathered for server/connection/handlers.ts:
 * registering with settings, joining, the host's controls, and what strangers see.
 */
import type { HandlerMap } from '../connection/handlers';
import { browseHandlers } from './browse-handlers';
import { hostHandlers } from './host-handlers';
import { joinHandlers } from './join-handlers';
import { registerHandler } from './register-handler';

type AccessTypes =
  | keyof typeof browseHandlers
  | keyof typeof hostHandlers
  | keyof typeof joinHandlers
  | keyof typeof registerHandler;

export const accessHandlers: Pick<HandlerMap, AccessTypes> = {
  ...registerHandler,
  ...joinHandlers,
  ...hostHandlers,
  ...browseHandlers,
};
