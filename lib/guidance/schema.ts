import { z } from 'zod';
import { idSchema } from '../schema-atoms';

/**
 * The guidance schema: every item the popup shows as guidance carries its sources
 * and the date someone last checked it against them. Links only: nothing is fetched.
 */

const httpsUrl = z.url({ protocol: /^https$/, hostname: z.regexes.domain });
const isoDate = z.iso.date();
const id = idSchema();
const sentence = z.string().trim().min(3).max(600);

export const guidanceSourceSchema = z.object({
  title: z.string().trim().min(3).max(200),
  publisher: z.string().trim().min(2).max(120),
  url: httpsUrl,
  accessed: isoDate,
});
export type GuidanceSource = z.infer<typeof guidanceSourceSchema>;

/** One of the campaign's immediate practice steps. */
export const campaignStepSchema = z.object({
  id,
  title: z.string().trim().min(3).max(120),
  /** When the BMA asked for it, e.g. "June 2026". */
  since: z.string().trim().min(3).max(40),
  summary: sentence,
  points: z.array(sentence).max(8),
  /** When the step may not apply (a locally commissioned service). */
  exception: sentence.optional(),
  sources: z.array(guidanceSourceSchema).min(1),
  lastReviewed: isoDate,
});
export type CampaignStep = z.infer<typeof campaignStepSchema>;

/** A page a practice may read: BMA, its LMC, the trade press. */
export const guidanceLinkSchema = z.object({
  id,
  title: z.string().trim().min(3).max(200),
  publisher: z.string().trim().min(2).max(120),
  kind: z.enum(['bma', 'lmc', 'news']),
  url: httpsUrl,
  /** What the page covers, in a line. */
  about: sentence,
  /** The link is its own source; `sources` says where its URL was confirmed. */
  sources: z.array(guidanceSourceSchema).min(1),
  lastReviewed: isoDate,
});
export type GuidanceLink = z.infer<typeof guidanceLinkSchema>;

/**
 * How a practice switches a tool off in one clinical system. `documented` only when a
 * public source says how; otherwise `not-documented`, and the popup says so plainly.
 */
export const switchOffSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('documented'),
    steps: z.array(sentence).min(1).max(12),
    sources: z.array(guidanceSourceSchema).min(1),
  }),
  z.object({ status: z.literal('not-documented') }),
]);
export type SwitchOff = z.infer<typeof switchOffSchema>;

export const systemGuidanceSchema = z.object({
  system: z.string().trim().min(2).max(80),
  switchOff: switchOffSchema,
  /** What a public source says about the prompt itself in this system (e.g. its buttons). */
  inThePrompt: z.object({ text: sentence, sources: z.array(guidanceSourceSchema).min(1) }).optional(),
});
export type SystemGuidance = z.infer<typeof systemGuidanceSchema>;

export const toolGuidanceSchema = z.object({
  toolId: id,
  name: z.string().trim().min(2).max(80),
  whatItIs: z.array(sentence).min(1).max(6),
  systems: z.array(systemGuidanceSchema).min(1),
  sources: z.array(guidanceSourceSchema).min(1),
  lastReviewed: isoDate,
});
export type ToolGuidance = z.infer<typeof toolGuidanceSchema>;

export const guidanceSchema = z
  .object({
    lastReviewed: isoDate,
    /** The LMCs' position, shown beside every call to act. */
    lmcPosition: z.object({ text: sentence, sources: z.array(guidanceSourceSchema).min(1) }),
    steps: z.array(campaignStepSchema).length(3),
    tools: z.array(toolGuidanceSchema).min(1),
    links: z.array(guidanceLinkSchema).min(1),
  })
  .superRefine((g, ctx) => {
    const unique = (ids: string[], path: string) => {
      const seen = new Set<string>();
      ids.forEach((value, i) => {
        if (seen.has(value))
          ctx.addIssue({ code: 'custom', path: [path, i], message: `duplicate id "${value}"` });
        seen.add(value);
      });
    };
    unique(
      g.steps.map((s) => s.id),
      'steps',
    );
    unique(
      g.tools.map((t) => t.toolId),
      'tools',
    );
    unique(
      g.links.map((l) => l.id),
      'links',
    );
  });
export type Guidance = z.infer<typeof guidanceSchema>;

/** The sentence shown wherever no public source documents how to switch a tool off. */
export const NOT_DOCUMENTED =
  'Steps not publicly documented: ask your ICB medicines optimisation team or the supplier.';
