import { z } from 'zod';
import { regexProblem } from '../patterns';
import { idSchema } from '../schema-atoms';
import { selectorError } from '../selector';
import {
  BRAND_POSITIONS,
  MAX_PATTERN_LENGTH,
  PROMPT_CONTAINER_WEIGHT,
  SOURCE_BASIS,
  URL_ELEMENTS,
} from './constants';

export type { BrandPosition } from './constants';
/** Re-exported: callers validating a pattern alone (the options form) import it from here. */
export {
  BRAND_POSITIONS,
  MAX_PATTERN_LENGTH,
  PROMPT_CONTAINER_WEIGHT,
  regexProblem,
  SOURCE_BASIS,
  URL_ELEMENTS,
};

/**
 * The signature schema: one shape for the built-in catalogue, for practice-defined
 * signatures from the options page, and for signatures pushed by policy.
 */

const id = idSchema();

export const sourceSchema = z.object({
  title: z.string().min(3).max(200),
  url: z.url({ protocol: /^https$/ }),
  accessed: z.iso.date().optional(),
});
export type Source = z.infer<typeof sourceSchema>;

/**
 * A text pattern. `word` and `exact` are plain strings (case-insensitive); `regex` runs on
 * a linear-time engine (RE2, see lib/patterns) and is refused, with the reason, when that
 * engine cannot run it (back-references, look-around) or it is too large.
 */
export const textPatternSchema = z
  .object({
    match: z.enum(['word', 'exact', 'regex']).default('word'),
    value: z.string().trim().min(2).max(MAX_PATTERN_LENGTH),
  })
  .superRefine((p, ctx) => {
    if (p.match !== 'regex') return;
    const problem = regexProblem(p.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  });
export type TextPattern = z.infer<typeof textPatternSchema>;

const weight = z.number().min(0.05).max(1);
const basis = z.enum(SOURCE_BASIS);

const brandEvidence = z.object({
  kind: z.literal('brand'),
  text: textPatternSchema,
  positions: z
    .array(z.enum(BRAND_POSITIONS))
    .min(1)
    .default([...BRAND_POSITIONS]),
  weight,
  basis,
});

const controlsEvidence = z.object({
  kind: z.literal('controls'),
  /** Accessible labels of buttons that appear together in one prompt. */
  labels: z.array(z.string().trim().min(1).max(60)).min(1).max(8),
  /** How many of the labels must be present in the same container (default: all). */
  minMatches: z.number().int().min(1).max(8).optional(),
  weight,
  basis,
});

const urlEvidence = z.object({
  kind: z.literal('url'),
  /** Which element's URL attribute (src / href) is tested. */
  elements: z.array(z.enum(URL_ELEMENTS)).min(1).default(['iframe', 'script']),
  /** Case-insensitive substring of the resolved URL (e.g. a vendor host). */
  contains: z.string().trim().min(4).max(MAX_PATTERN_LENGTH),
  weight,
  basis,
});

const pageUrlEvidence = z.object({
  kind: z.literal('pageUrl'),
  /** Case-insensitive substring of the frame's host; with a "/" in it, of host+path. */
  contains: z.string().trim().min(4).max(MAX_PATTERN_LENGTH),
  weight,
  basis,
});

const tokenEvidence = z.object({
  kind: z.literal('token'),
  /** Substring of an element's id or class (case-insensitive), e.g. a vendor prefix. */
  value: z
    .string()
    .trim()
    .min(3)
    .max(60)
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, hyphen and underscore only'),
  weight,
  basis,
});

const attributeEvidence = z.object({
  kind: z.literal('attribute'),
  name: z
    .string()
    .trim()
    .regex(
      /^(data-[a-z0-9_-]+|role|aria-[a-z]+|name|rel|itemtype)$/,
      'use a data-*, aria-*, role or name attribute',
    ),
  /** Case-insensitive substring of the value; omit to require only presence. */
  contains: z.string().trim().min(1).max(MAX_PATTERN_LENGTH).optional(),
  weight,
  basis,
});

const selectorEvidence = z.object({
  kind: z.literal('selector'),
  selector: z
    .string()
    .trim()
    .min(2)
    .max(200)
    // One check for parsing, position and cost, shared with the engine (lib/selector).
    .superRefine((selector, ctx) => {
      const problem = selectorError(selector);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  weight,
  basis,
});

export const evidenceSchema = z.discriminatedUnion('kind', [
  brandEvidence,
  controlsEvidence,
  urlEvidence,
  pageUrlEvidence,
  tokenEvidence,
  attributeEvidence,
  selectorEvidence,
]);
export type Evidence = z.infer<typeof evidenceSchema>;
export type EvidenceKind = Evidence['kind'];
export type EvidenceInput = z.input<typeof evidenceSchema>;

/** Cues that veto a candidate: the clinical system's own safety alerts, namesakes. */
export const exclusionSchema = z.object({
  id,
  description: z.string().min(3).max(300),
  /** Matched against the candidate container's text and its structural labels. */
  text: textPatternSchema.optional(),
  /** Matched against id/class of the container and its ancestors. */
  token: tokenEvidence.shape.value.optional(),
  /** Matched against URLs of the frame and of iframes/scripts in the container. */
  urlContains: z.string().trim().min(4).max(MAX_PATTERN_LENGTH).optional(),
  sources: z.array(sourceSchema).default([]),
});
export type Exclusion = z.infer<typeof exclusionSchema>;

export const signatureSchema = z
  .object({
    id,
    toolId: id,
    description: z.string().min(3).max(300),
    evidence: z.array(evidenceSchema).min(1).max(20),
    /** Sum of matched evidence weights needed, so one weak cue is not enough. */
    threshold: z.number().min(0.3).max(5).default(0.8),
    exclusions: z.array(exclusionSchema).max(20).default([]),
    sources: z.array(sourceSchema).default([]),
  })
  .superRefine((s, ctx) => {
    const max = s.evidence.reduce((sum, e) => sum + e.weight, 0) + PROMPT_CONTAINER_WEIGHT;
    if (max < s.threshold) {
      ctx.addIssue({
        code: 'custom',
        path: ['threshold'],
        message: `can never be reached: all evidence together weighs ${max.toFixed(2)}`,
      });
    }
  });
export type Signature = z.infer<typeof signatureSchema>;
export type SignatureInput = z.input<typeof signatureSchema>;

export const toolSchema = z.object({
  id,
  name: z.string().min(2).max(80),
  vendor: z.string().min(2).max(120),
  /** What the tool does, in one or two plain sentences. */
  summary: z.string().min(10).max(400),
  /** Medicines optimisation software that is not part of core GMS (what the BMA action targets). */
  category: z.enum(['mo-prompt', 'mo-portal']),
  sources: z.array(sourceSchema).min(1),
});
export type Tool = z.infer<typeof toolSchema>;

/** One catalogue file: a tool family, its signatures and its sources. */
export const toolFamilySchema = z
  .object({
    tool: toolSchema,
    signatures: z.array(signatureSchema).min(1),
  })
  .superRefine((f, ctx) => {
    f.signatures.forEach((s, i) => {
      if (s.toolId !== f.tool.id) {
        ctx.addIssue({
          code: 'custom',
          path: ['signatures', i, 'toolId'],
          message: `must be "${f.tool.id}"`,
        });
      }
      if (s.sources.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['signatures', i, 'sources'],
          message: 'built-in signatures need sources',
        });
      }
    });
  });
export type ToolFamily = z.infer<typeof toolFamilySchema>;
export type ToolFamilyInput = z.input<typeof toolFamilySchema>;
