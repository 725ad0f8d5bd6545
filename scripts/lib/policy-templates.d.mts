import type { ManagedSchemaNode } from '../../lib/settings/managed-schema';

export const PLACEHOLDER_IDS: { chrome: string; edge: string };
export const BROWSERS: Record<
  'chrome' | 'edge',
  {
    label: string;
    registryRoot: string;
    namespace: string;
    prefix: string;
    file: string;
    linuxDirs: string[];
    updateUrl: string;
  }
>;
export const EXAMPLE_POLICY: Record<string, unknown>;
/** Every file of the kit, by path under docs/deploy/. */
export function policyTemplates(
  schema: ManagedSchemaNode,
  ids?: { chrome: string; edge: string },
): Record<string, string>;
