import { z } from 'zod';
import type { FieldProblem } from './settings/problems';

/**
 * The small pieces every schema and reader shares: what an id looks like, what counts
 * as a record, and JSON text read into field problems. One
 * definition each, so the catalogue, settings, guidance, tally and messages agree.
 * (The snooze check lives in tab-state.ts: the banner bundle may not load zod.)
 */

/** Tool, signature and guidance ids: lower-case letters, digits and hyphens, never a leading hyphen. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const ID_MAX_LENGTH = 64;
const ID_RULE = 'use lower-case letters, digits and hyphens';

/**
 * An id as a schema checks it. Ids people write (catalogue, settings, guidance) have at
 * least two characters; ids only carried (messages, tally) at least one. `trim` for ids
 * typed by a person, where stray spaces are not a mistake worth refusing.
 */
export function idSchema({ minLength = 2, trim = false }: { minLength?: number; trim?: boolean } = {}) {
  return (trim ? z.string().trim() : z.string()).min(minLength).max(ID_MAX_LENGTH).regex(ID_PATTERN, ID_RULE);
}

/** A plain object (not null, not an array), as JSON and storage hand them over. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON text parsed, or the one problem a person needs: `field` is not valid JSON, and why. */
export function parseJsonText(
  text: string,
  field: string,
): { ok: true; value: unknown } | { ok: false; problems: FieldProblem[] } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, problems: [{ field, reason: `is not valid JSON: ${(error as Error).message}` }] };
  }
}
