/**
 * The first half of saving Settings: the new Config, checked, and the control plane a new
 * server address needs, built before anything changes, then the file written. The service
 * switches to them after (app-service.ts).
 */
import type { Settings } from '../../../shared/ipc/app-state';
import type { Config, ConfigChanges } from '../config/config';
import { settingsChanges } from '../config/settings-view';
import type { Report } from '../notices';
import type { ControlPlaneApi } from '../types';
import { buildControlPlane } from './control-attach';
import * as errors from './errors';

export interface SettingsSaveDeps {
  config: Config;
  /** The party on screen's name, if any: it lives on the server in use. */
  partyName: string | null;
  createControlPlane: (config: Config) => ControlPlaneApi;
  report: Report;
}

/** @throws ControlPlaneError for a server change in a party, or a server no plane can use. */
export async function prepareSettings(
  settings: Settings,
  also: ConfigChanges,
  deps: SettingsSaveDeps,
): Promise<{ next: Config; nextControl: ControlPlaneApi | null }> {
  const next = deps.config.with({ ...also, ...settingsChanges(settings, deps.config) });
  const serverChanged = next.controlServer !== deps.config.controlServer;
  // The party is on the old server: the new control plane would show a stale copy of it.
  if (serverChanged && deps.partyName !== null) throw errors.serverChangeInParty(deps.partyName);
  // Built before anything changes: a server URL no control plane can use is refused
  // here, not after the old plane is closed and the URL saved for every later start.
  const nextControl = serverChanged ? buildControlPlane(deps.createControlPlane, next) : null;
  await next.saveOrReport(deps.report);
  return { next, nextControl };
}
