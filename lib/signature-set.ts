import { z } from 'zod';
import { type Signature, signatureSchema } from './catalogue/schema';
import { isRecord, parseJsonText } from './schema-atoms';
import { type CustomTool, customToolSchema, type Settings } from './settings/schema';
import { describeIssues, type FieldProblem } from './settings/validate';

/**
 * A shareable signature set: what one practice taught, for another practice to import
 * or an IT lead to push by policy. `customTools` and `customSignatures` carry the same
 * keys and shapes as the settings (and the managed-storage policy), so the two inner
 * arrays can be pasted into a policy file as they are.
 */

export const SIGNATURE_SET_FORMAT = 'mo-prompt-advisor/signatures';
export const SIGNATURE_SET_VERSION = 1;

export const signatureSetSchema = z
  .strictObject({
    format: z.literal(SIGNATURE_SET_FORMAT),
    version: z.literal(SIGNATURE_SET_VERSION),
    customTools: z.array(customToolSchema).max(50).default([]),
    customSignatures: z.array(signatureSchema).min(1).max(200),
  })
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    set.customSignatures.forEach((s, i) => {
      if (seen.has(s.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['customSignatures', i, 'id'],
          message: `"${s.id}" appears twice`,
        });
      }
      seen.add(s.id);
    });
    const toolIds = new Set<string>();
    set.customTools.forEach((t, i) => {
      if (toolIds.has(t.id)) {
        ctx.addIssue({ code: 'custom', path: ['customTools', i, 'id'], message: `"${t.id}" appears twice` });
      }
      toolIds.add(t.id);
    });
  });
export type SignatureSet = z.infer<typeof signatureSetSchema>;

/** Builds an export; only the tools the signatures refer to travel with them. */
export function exportSignatureSet(
  signatures: readonly Signature[],
  customTools: readonly CustomTool[],
): SignatureSet {
  const used = new Set(signatures.map((s) => s.toolId));
  return {
    format: SIGNATURE_SET_FORMAT,
    version: SIGNATURE_SET_VERSION,
    customTools: customTools.filter((t) => used.has(t.id)),
    customSignatures: [...signatures],
  };
}

export function signatureSetJson(set: SignatureSet): string {
  return `${JSON.stringify(set, null, 2)}\n`;
}

export function signatureSetFileName(date = new Date()): string {
  return `mo-prompt-signatures-${date.toISOString().slice(0, 10)}.json`;
}

export type ParseResult = { ok: true; set: SignatureSet } | { ok: false; problems: FieldProblem[] };

/** Strict, all-or-nothing parse of a file's text: every problem with its field and reason. */
export function parseSignatureSet(text: string): ParseResult {
  const json = parseJsonText(text, '(file)');
  if (!json.ok) return json;
  const raw = json.value;
  if (!isRecord(raw)) {
    return { ok: false, problems: [{ field: '(file)', reason: 'expected a JSON object' }] };
  }
  const format = raw.format;
  if (format !== SIGNATURE_SET_FORMAT) {
    return {
      ok: false,
      problems: [
        {
          field: 'format',
          reason: `expected "${SIGNATURE_SET_FORMAT}": this is not a signature set exported by this extension`,
        },
      ],
    };
  }
  const parsed = signatureSetSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error, '') };
  return { ok: true, set: parsed.data };
}

/** The settings/policy block for a set: `{ customTools, customSignatures }`. */
export function toPolicyBlock(set: SignatureSet): Pick<Settings, 'customTools' | 'customSignatures'> {
  return { customTools: set.customTools, customSignatures: set.customSignatures };
}

/**
 * Merges an imported set into settings. All or nothing: an id that already exists
 * with a different content is a problem, not an overwrite; identical items are skipped.
 */
export function mergeSignatureSet(
  settings: Settings,
  set: SignatureSet,
): { ok: true; settings: Settings; added: number } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const signatures = [...settings.customSignatures];
  const tools = [...settings.customTools];
  let added = 0;
  set.customSignatures.forEach((sig, i) => {
    const existing = signatures.find((s) => s.id === sig.id);
    if (!existing) {
      signatures.push(sig);
      added++;
    } else if (JSON.stringify(existing) !== JSON.stringify(sig)) {
      problems.push({
        field: `customSignatures.${i}.id`,
        reason: `"${sig.id}" already exists with different content`,
      });
    }
  });
  set.customTools.forEach((tool, i) => {
    const existing = tools.find((t) => t.id === tool.id);
    if (!existing) tools.push(tool);
    else if (existing.name !== tool.name || existing.vendor !== tool.vendor) {
      problems.push({
        field: `customTools.${i}.id`,
        reason: `"${tool.id}" already exists with a different name`,
      });
    }
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, settings: { ...settings, customSignatures: signatures, customTools: tools }, added };
}

/** What importing a set would do, item by item, before anything is written. */
export interface SignatureSetPlan {
  /** Signatures and tools whose id is new here. */
  added: { signatures: string[]; tools: string[] };
  /** Same id, same content: nothing to do. */
  identical: { signatures: string[]; tools: string[] };
  /** Same id, different content: the user chooses which version stays. */
  conflicts: { signatures: string[]; tools: string[] };
}

export function planSignatureSetMerge(settings: Settings, set: SignatureSet): SignatureSetPlan {
  const plan: SignatureSetPlan = {
    added: { signatures: [], tools: [] },
    identical: { signatures: [], tools: [] },
    conflicts: { signatures: [], tools: [] },
  };
  for (const sig of set.customSignatures) {
    const existing = settings.customSignatures.find((s) => s.id === sig.id);
    const bucket = !existing
      ? plan.added
      : JSON.stringify(existing) === JSON.stringify(sig)
        ? plan.identical
        : plan.conflicts;
    bucket.signatures.push(sig.id);
  }
  for (const tool of set.customTools) {
    const existing = settings.customTools.find((t) => t.id === tool.id);
    const bucket = !existing
      ? plan.added
      : existing.name === tool.name && existing.vendor === tool.vendor
        ? plan.identical
        : plan.conflicts;
    bucket.tools.push(tool.id);
  }
  return plan;
}

/**
 * Merges a set by id: new items are added; an item with the same id and other content
 * is replaced only when `replaceConflicts` (the user confirmed it), else ours stays.
 */
export function applySignatureSetMerge(
  settings: Settings,
  set: SignatureSet,
  { replaceConflicts }: { replaceConflicts: boolean },
): Settings {
  const signatures = [...settings.customSignatures];
  for (const sig of set.customSignatures) {
    const at = signatures.findIndex((s) => s.id === sig.id);
    if (at < 0) signatures.push(sig);
    else if (replaceConflicts) signatures[at] = sig;
  }
  const tools = [...settings.customTools];
  for (const tool of set.customTools) {
    const at = tools.findIndex((t) => t.id === tool.id);
    if (at < 0) tools.push(tool);
    else if (replaceConflicts) tools[at] = tool;
  }
  return { ...settings, customSignatures: signatures, customTools: tools };
}
