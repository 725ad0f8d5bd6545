/** Catalogue constants, free of zod so content scripts can import them cheaply. */

export const SOURCE_BASIS = ['documented', 'inferred'] as const;

/** Longest text pattern accepted: keeps matching bounded and signatures reviewable. */
export const MAX_PATTERN_LENGTH = 120;

/** Structural positions where brand text counts as evidence. Running text never does. */
export const BRAND_POSITIONS = [
  'heading', // h1-h6, [role=heading]
  'label', // aria-label / aria-labelledby of dialogs, regions, landmarks
  'title', // iframe/frame title attribute, the frame's document title
  'alt', // img alt
  'legend', // fieldset legend, table caption
] as const;
export type BrandPosition = (typeof BRAND_POSITIONS)[number];

export const URL_ELEMENTS = ['iframe', 'script', 'link', 'img', 'a'] as const;

/** Container weights live with the containers they weigh (lib/dom-vocabulary.ts). */
export { PROMPT_CONTAINER_WEIGHT, REGION_CONTAINER_WEIGHT } from '../dom-vocabulary';

/** Evidence kinds a finding can report (`container`: it sat in a prompt-like container; `message`: MO-message wording, supporting). */
export const EVIDENCE_KINDS = [
  'brand',
  'controls',
  'url',
  'pageUrl',
  'token',
  'attribute',
  'selector',
  'container',
  'message',
] as const;
