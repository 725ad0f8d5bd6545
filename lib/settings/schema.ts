import { z } from 'zod';
import { signatureSchema } from '../catalogue/schema';
import { idSchema } from '../schema-atoms';

/**
 * The settings schema: the single source of truth for types, the options form,
 * import/export, stored values and the enterprise-policy (managed storage) schema.
 * The export file IS the policy format: an IT lead configures one machine and
 * pushes its file to all.
 */

const toolId = idSchema({ trim: true });

export const allowListEntrySchema = z.object({
  toolId,
  /** Why the tool is mandated, e.g. "Required by the BSol Enhanced Service Offer 2026/27". */
  reason: z.string().trim().max(300).optional(),
  /** Contract or service reference, e.g. "BSol ESO 2026/27, PCN schedule 3". */
  reference: z.string().trim().max(300).optional(),
  /** When the practice should check the mandate still applies (YYYY-MM-DD). */
  reviewBy: z.iso.date().optional(),
});
export type AllowListEntry = z.infer<typeof allowListEntrySchema>;

/**
 * A Chrome/Firefox match pattern limited to http(s) hosts; never all URLs. No regex
 * flags: the same source is the `pattern` of the managed schema, which Chrome runs
 * with RE2 and no case-insensitive flag. At most two wildcards in the path: each one
 * is tried at every position of a URL, and real clinical-system patterns need one
 * ("/" then "*") or two.
 */
export const HOST_PATTERN =
  /^(https?|\*):\/\/(\*\.)?[A-Za-z0-9.-]+(:(\d{1,5}|\*))?\/[^\s*]*(\*[^\s*]*){0,2}$/;
export const clinicalHostSchema = z
  .string()
  .trim()
  .max(200)
  .regex(
    HOST_PATTERN,
    'a match pattern such as https://clinical.example.nhs.uk/* (no "<all_urls>", no bare "*", at most two * in the path)',
  );

export const customToolSchema = z.object({
  id: toolId,
  name: z.string().trim().min(2).max(80),
  vendor: z.string().trim().max(120).optional(),
});
export type CustomTool = z.infer<typeof customToolSchema>;

export const bannerPreferencesSchema = z.object({
  /** Show a quiet "mandated by your local service: keep using" note for allow-listed tools. */
  showMandatedNote: z.boolean().default(false),
  /** How long "snooze" hides the banner on every tab. */
  snoozeMinutes: z.number().int().min(5).max(1440).default(60),
  /** Which bottom corner the banner sits in (never the top, where the clinical system's controls are). */
  corner: z.enum(['bottom-right', 'bottom-left']).default('bottom-right'),
});

export const tallyPreferencesSchema = z.object({
  enabled: z.boolean().default(true),
  retentionDays: z.number().int().min(1).max(366).default(90),
});

export const settingsSchema = z.object({
  allowList: z
    .array(allowListEntrySchema)
    .max(100)
    .default([])
    .describe(
      'Tools your local service mandates (e.g. an ICB enhanced service): shown as "mandated", never as "may be switched off". Each entry: toolId, and optionally reason, reference, reviewBy (YYYY-MM-DD).',
    ),
  clinicalHosts: z
    .array(clinicalHostSchema)
    .max(100)
    .default([])
    .describe(
      'Match patterns of the web clinical systems to watch, e.g. https://*.clinical.example.nhs.uk/*. Each host needs a one-time grant in the browser.',
    ),
  customSignatures: z
    .array(signatureSchema)
    .max(200)
    .default([])
    .describe('Practice-defined signatures for prompts the built-in catalogue does not know.'),
  customTools: z
    .array(customToolSchema)
    .max(50)
    .default([])
    .describe('Names for tools that only custom signatures refer to: id, name, optional vendor.'),
  banner: bannerPreferencesSchema
    .default({ showMandatedNote: false, snoozeMinutes: 60, corner: 'bottom-right' })
    .describe('Banner preferences: showMandatedNote, snoozeMinutes (5-1440), corner.'),
  lmcGuidanceUrl: z
    .url({ protocol: /^https$/ })
    .optional()
    .describe("An https link to your LMC's guidance, shown in the banner and popup."),
  tally: tallyPreferencesSchema
    .default({ enabled: true, retentionDays: 90 })
    .describe('The local tally of prompts seen (counts only): enabled, retentionDays (1-366).'),
});
export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;
export type SettingsField = keyof Settings;

export const SETTINGS_FIELDS = Object.keys(settingsSchema.shape) as SettingsField[];
