import { findBuiltInTool } from '../../lib/catalogue';

/** `2026-06-03` → `3 Jun 2026` (the key is a calendar day: formatted in UTC so it never shifts). */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** A built-in tool's name, else the id (a practice's custom tool, or one since removed). */
export function builtInToolName(toolId: string): string {
  return findBuiltInTool(toolId)?.name ?? toolId;
}
