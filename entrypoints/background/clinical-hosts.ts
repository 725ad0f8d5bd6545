import { withoutPort } from '../../lib/match-pattern';
import type { Settings } from '../../lib/settings/schema';
import type { WriteResult } from '../../platform/settings-store';
import type { SettingsSource } from './handlers/types';

export interface ClinicalHostDeps {
  settings: SettingsSource;
  hasHostPermission(pattern: string): Promise<boolean>;
  readLocalSettings(): Promise<Settings>;
  writeLocalSettings(next: Settings): Promise<WriteResult>;
  /** Re-reads the settings in force (so the popup's next get-state sees the new host). */
  refresh(): void;
}

/** The origin a pattern covers, whatever its port or path: `https://host/*`. */
const originOf = (pattern: string) => withoutPort(pattern).replace(/^([^:]+:\/\/[^/]+)\/.*$/, '$1/*');

/**
 * "Watch this site" (popup) or a host granted on the options page: the pattern joins
 * the practice's clinicalHosts, unless policy owns them, the origin is listed already
 * (in any form), or the browser has not granted it.
 */
export function clinicalHostAdder(deps: ClinicalHostDeps): (pattern: string) => Promise<void> {
  return async (pattern) => {
    const { settings, locked } = await deps.settings();
    if (
      locked.includes('clinicalHosts') ||
      settings.clinicalHosts.some((p) => originOf(p) === originOf(pattern))
    )
      return;
    if (!(await deps.hasHostPermission(pattern))) return;
    const local = await deps.readLocalSettings();
    const result = await deps.writeLocalSettings({
      ...local,
      clinicalHosts: [...local.clinicalHosts, pattern],
    });
    // Read back now rather than wait for storage.onChanged.
    if (result.ok) deps.refresh();
  };
}
