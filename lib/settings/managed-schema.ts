/** Placeholder replaced in the settings module. */
export function buildManagedSchema(): Record<string, unknown> {
  return { type: 'object', properties: {} };
}
