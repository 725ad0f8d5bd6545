import { globalExclusions } from '../catalogue/exclusions';
import { type EvidenceInput, type Signature, signatureSchema } from '../catalogue/schema';
import { PROMPT_CONTAINER_DESCRIPTION } from '../dom-vocabulary';
import {
  compileCatalogue,
  compileTextPattern,
  controlLabel,
  labelOf,
  MAX_LABEL_LENGTH,
  normaliseText,
} from './detect/compile';
import { containerOf, containerWeight, frameContextOf, scan, separatedText } from './detect/scan';

/**
 * Proposes a practice-defined signature from an element the user pointed at. Pure:
 * reads the DOM, changes nothing. Only stable, structural evidence is proposed (labels,
 * headings, control labels, data attributes, distinctive class/id tokens, vendor
 * hosts); never positional selectors, never running text from paragraphs.
 */

/** Independent cues: two options from one cue count once towards "two independent cues". */
export type Cue = 'brand' | 'controls' | 'attribute' | 'token' | 'url';

export interface EvidenceOption {
  /** Stable key for the review UI. */
  key: string;
  cue: Cue;
  /** What the evidence means, in plain words, for the review step. */
  description: string;
  checked: boolean;
  evidence: EvidenceInput;
}

export interface ProposalWarning {
  kind: 'safety-alert' | 'free-text' | 'single-cue' | 'too-weak' | 'not-a-prompt' | 'invalid';
  message: string;
  /** Saving is refused while a blocking warning stands. */
  blocksSave: boolean;
}

export interface SignatureMeta {
  toolId: string;
  /** Default: `custom-<toolId>`, made unique against `existingIds`. */
  signatureId?: string;
  existingIds?: readonly string[];
  /** Default: a description naming the container's label. */
  description?: string;
}

export interface Proposal {
  container: Element;
  isPrompt: boolean;
  /** The signature built from the checked options (undefined when they are not a valid signature). */
  signature: Signature | undefined;
  evidenceOptions: EvidenceOption[];
  warnings: ProposalWarning[];
  canSave: boolean;
}

export const PROPOSAL_THRESHOLD = 0.8;
/**
 * Weights: no single cue (even with the prompt-container weight the engine adds) reaches
 * the threshold, and any two of brand/attribute/url/controls do.
 */
const WEIGHTS: Record<Cue, number> = { brand: 0.45, attribute: 0.4, url: 0.4, controls: 0.35, token: 0.3 };

const HEADING_SELECTOR = 'h1,h2,h3,h4,h5,h6,[role="heading"]';
const CONTROL_SELECTOR =
  'button,[role="button"],input[type="button"],input[type="submit"],a[role="button"],[role="menuitem"]';
/** Longest label proposed as brand text: a label, not a sentence. */
const MAX_BRAND_LENGTH = 80;
/** Class/id words that say nothing about who made the prompt. */
const GENERIC_TOKENS = new Set(
  [
    'active',
    'actions',
    'alert',
    'body',
    'box',
    'btn',
    'button',
    'card',
    'col',
    'container',
    'content',
    'dialog',
    'footer',
    'header',
    'hidden',
    'inner',
    'main',
    'message',
    'modal',
    'open',
    'outer',
    'panel',
    'popup',
    'primary',
    'row',
    'section',
    'show',
    'title',
    'visible',
    'wrapper',
  ].map((t) => t.toLowerCase()),
);
/** Wording of the clinical system's own safety checks (interactions, allergies…). */
const SAFETY_WORDING = /\b(interact(s|ion|ions)?|contra-?indicat\w*|allerg\w*|severe|hypersensitivity)\b/i;

/** A class/id token that looks machine-generated (hash, counter, CSS-module suffix). */
export function looksGenerated(token: string): boolean {
  if (token.length < 3 || token.length > 60) return true;
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return true;
  const digits = token.replace(/\D/g, '').length;
  if (digits >= 3 || digits / token.length > 0.2) return true;
  // CSS modules / styled-components / emotion: Name__suffix, sc-abcde, css-1x2y3z, jsx-123
  if (/(^|[_-])(sc|css|jsx|emotion|svelte|ng|v)-[A-Za-z0-9]{4,}$/i.test(token)) return true;
  if (/__[A-Za-z0-9_-]{5,}$/.test(token) && /[A-Z].*\d|\d.*[A-Z]/.test(token)) return true;
  // A mixed-case run without vowels reads like a hash: "xKq9Ztw".
  const tail = token.split(/[_-]/).pop() ?? '';
  if (tail.length >= 5 && /[a-z]/.test(tail) && /[A-Z]/.test(tail) && /\d/.test(tail)) return true;
  if (tail.length >= 6 && !/[aeiouy]/i.test(tail)) return true;
  return false;
}

function collapse(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

function isBrandText(text: string): boolean {
  return text.length >= 2 && text.length <= MAX_BRAND_LENGTH;
}

function hostOf(url: string, base: string): string | undefined {
  try {
    const parsed = new URL(url, base);
    return parsed.protocol.startsWith('http') ? parsed.host.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** Counts elements carrying the token outside `container` (a token is distinctive only if none). */
function usedOutside(doc: Document, container: Element, token: string): boolean {
  const v = JSON.stringify(token.toLowerCase());
  for (const el of doc.querySelectorAll(`[id*=${v} i],[class*=${v} i]`)) {
    if (!container.contains(el) && !el.contains(container)) return true;
  }
  return false;
}

/** Every stable piece of evidence the container offers, each as a reviewable option. */
export function evidenceOptionsFor(container: Element): EvidenceOption[] {
  const options: EvidenceOption[] = [];
  const doc = container.ownerDocument;

  // Brand text in structural positions: the container's own label, its first heading.
  const label = collapse(labelOf(container));
  const heading = collapse(container.querySelector(HEADING_SELECTOR)?.textContent);
  if (isBrandText(label) && normaliseText(label) === normaliseText(heading)) {
    options.push({
      key: 'brand:label+heading',
      cue: 'brand',
      description: `Label and heading read exactly "${label}"`,
      checked: true,
      evidence: {
        kind: 'brand',
        text: { match: 'exact', value: label },
        positions: ['label', 'heading'],
        weight: WEIGHTS.brand,
        basis: 'inferred',
      },
    });
  } else {
    if (isBrandText(label)) {
      options.push({
        key: 'brand:label',
        cue: 'brand',
        description: `The prompt is labelled exactly "${label}"`,
        checked: true,
        evidence: {
          kind: 'brand',
          text: { match: 'exact', value: label },
          positions: ['label'],
          weight: WEIGHTS.brand,
          basis: 'inferred',
        },
      });
    }
    if (isBrandText(heading)) {
      options.push({
        key: 'brand:heading',
        cue: 'brand',
        description: `A heading reads exactly "${heading}"`,
        checked: !isBrandText(label),
        evidence: {
          kind: 'brand',
          text: { match: 'exact', value: heading },
          positions: ['heading'],
          weight: WEIGHTS.brand,
          basis: 'inferred',
        },
      });
    }
  }
  const alt = collapse(container.querySelector('img[alt]')?.getAttribute('alt'));
  if (
    isBrandText(alt) &&
    !options.some((o) => o.cue === 'brand' && normaliseText(alt) === normaliseText(label))
  ) {
    options.push({
      key: 'brand:alt',
      cue: 'brand',
      description: `A logo's alternative text reads "${alt}"`,
      checked: !options.some((o) => o.cue === 'brand'),
      evidence: {
        kind: 'brand',
        text: { match: 'exact', value: alt },
        positions: ['alt'],
        weight: WEIGHTS.brand,
        basis: 'inferred',
      },
    });
  }

  // The set of control labels (buttons) inside the prompt.
  const labels: string[] = [];
  for (const control of container.querySelectorAll(CONTROL_SELECTOR)) {
    if (!controlLabel(control)) continue;
    const shown =
      collapse(control.getAttribute('aria-label')) ||
      (control.localName === 'input'
        ? collapse((control as HTMLInputElement).value)
        : collapse(control.textContent));
    if (shown.length > 60 || labels.some((l) => normaliseText(l) === normaliseText(shown))) continue;
    labels.push(shown);
    if (labels.length === 8) break;
  }
  if (labels.length > 0) {
    options.push({
      key: 'controls',
      cue: 'controls',
      description: `Buttons ${labels.map((l) => `"${l}"`).join(', ')} appear together`,
      checked: true,
      evidence: {
        kind: 'controls',
        labels,
        weight: labels.length >= 2 ? WEIGHTS.controls : WEIGHTS.controls / 2,
        basis: 'inferred',
      },
    });
  }

  // data-* attributes on the container: the value when it reads like a word, never a state.
  for (const attr of container.attributes) {
    if (!/^data-[a-z0-9_.-]+$/.test(attr.name) || /^data-(testid|reactid|v-|sim-)/.test(attr.name)) continue;
    const value = attr.value.trim();
    if (!value || /^(true|false|on|off|open|closed|\d+)$/i.test(value) || looksGenerated(value)) continue;
    options.push({
      key: `attribute:${attr.name}`,
      cue: 'attribute',
      description: `Attribute ${attr.name}="${value}"`,
      checked: true,
      evidence: {
        kind: 'attribute',
        name: attr.name,
        contains: value,
        weight: WEIGHTS.attribute,
        basis: 'inferred',
      },
    });
  }

  // Distinctive id/class tokens: used by the prompt only, not generated, not generic.
  const tokens = [container.id, ...Array.from(container.classList)].filter(Boolean);
  const seen = new Set<string>();
  for (const token of tokens) {
    const lower = token.toLowerCase();
    if (seen.has(lower) || GENERIC_TOKENS.has(lower) || looksGenerated(token)) continue;
    seen.add(lower);
    if (usedOutside(doc, container, token)) continue;
    options.push({
      key: `token:${lower}`,
      cue: 'token',
      description: `Class or id contains "${token}"`,
      checked: seen.size === 1,
      evidence: { kind: 'token', value: token, weight: WEIGHTS.token, basis: 'inferred' },
    });
  }

  // Hosts of embedded frames and scripts, when they are not the page's own host.
  const pageHost = hostOf(doc.URL, 'http://invalid/') ?? '';
  const hosts = new Map<string, Set<'iframe' | 'script'>>();
  for (const el of container.querySelectorAll('iframe[src],script[src]')) {
    const host = hostOf(el.getAttribute('src') ?? '', doc.baseURI);
    if (!host || host === pageHost || host.length < 4) continue;
    const kinds = hosts.get(host) ?? new Set();
    kinds.add(el.localName as 'iframe' | 'script');
    hosts.set(host, kinds);
  }
  for (const [host, kinds] of hosts) {
    options.push({
      key: `url:${host}`,
      cue: 'url',
      description: `Embeds ${[...kinds].join(' and ')} content from ${host}`,
      checked: true,
      evidence: { kind: 'url', elements: [...kinds], contains: host, weight: WEIGHTS.url, basis: 'inferred' },
    });
  }
  return options;
}

export function uniqueSignatureId(toolId: string, existingIds: readonly string[] = []): string {
  const base = `custom-${toolId}`.slice(0, 56);
  if (!existingIds.includes(base)) return base;
  for (let i = 2; ; i++) if (!existingIds.includes(`${base}-${i}`)) return `${base}-${i}`;
}

/** Builds the signature from the checked options; `problems` says why it is not valid. */
export function signatureFromOptions(
  options: readonly EvidenceOption[],
  meta: SignatureMeta,
  containerLabel = '',
): { signature: Signature; problems?: undefined } | { signature?: undefined; problems: string[] } {
  const evidence = options.filter((o) => o.checked).map((o) => o.evidence);
  const parsed = signatureSchema.safeParse({
    id: meta.signatureId ?? uniqueSignatureId(meta.toolId, meta.existingIds),
    toolId: meta.toolId,
    description:
      meta.description ??
      `Practice-defined${containerLabel ? `: the "${containerLabel.slice(0, 80)}" prompt` : ' prompt'}, taught with the picker.`,
    evidence,
    threshold: PROPOSAL_THRESHOLD,
  });
  if (parsed.success) return { signature: parsed.data };
  return {
    problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'signature'}: ${i.message}`),
  };
}

/** Why the container looks like the clinical system's own safety alert, if it does. */
export function safetyAlertReason(container: Element): string | undefined {
  const text = normaliseText(`${labelOf(container)} ${separatedText(container, 20_000)}`);
  for (const exclusion of globalExclusions) {
    if (exclusion.text && compileTextPattern(exclusion.text)(text)) return exclusion.description;
  }
  if (container.getAttribute('role') === 'alertdialog' && SAFETY_WORDING.test(text)) {
    return 'an alert dialog about interactions, allergies or contraindications: this looks like the clinical system’s own safety check';
  }
  return undefined;
}

/** How many places on the page the signature flags now (built-in exclusions applied). */
export function liveMatchCount(signature: Signature, doc: Document): number {
  const catalogue = compileCatalogue([signature], globalExclusions, doc);
  return scan(catalogue, doc, frameContextOf(doc)).length;
}

/** Path of child indices from the document element, to find `el`'s twin in a clone. */
function indexPath(el: Element): number[] | undefined {
  const path: number[] = [];
  let current: Element | null = el;
  while (current && current !== el.ownerDocument.documentElement) {
    const parent: Element | null = current.parentElement;
    if (!parent) return undefined; // inside a shadow root: no twin in a clone
    path.unshift(Array.prototype.indexOf.call(parent.children, current));
    current = parent;
  }
  return current ? path : undefined;
}

/**
 * Findings the signature would make on the page once the chosen container is gone:
 * each one is a match somewhere else (free text, another panel). Runs on a clone, so
 * the page is never touched.
 */
export function matchesElsewhere(signature: Signature, container: Element): number {
  const doc = container.ownerDocument;
  const path = indexPath(container);
  const catalogue = compileCatalogue([signature], globalExclusions, doc);
  const ctx = frameContextOf(doc);
  if (!path) {
    return scan(catalogue, doc, ctx).filter(
      (f) => !container.contains(f.element) && !f.element.contains(container),
    ).length;
  }
  const clone = doc.cloneNode(true) as Document;
  let twin: Element | undefined = clone.documentElement;
  for (const i of path) twin = twin?.children[i];
  twin?.remove();
  return scan(catalogue, clone, ctx).length;
}

/** Warnings for a signature proposed for `container`. */
export function reviewSignature(
  signature: Signature | undefined,
  options: readonly EvidenceOption[],
  container: Element,
  problems: readonly string[] = [],
): ProposalWarning[] {
  const warnings: ProposalWarning[] = [];
  const safety = safetyAlertReason(container);
  if (safety) {
    warnings.push({
      kind: 'safety-alert',
      message: `Not saved: ${safety} Flagging it could hide a patient-safety warning.`,
      blocksSave: true,
    });
  }
  const { isPrompt } = containerOf(container);
  if (!isPrompt) {
    warnings.push({
      kind: 'not-a-prompt',
      message: `This element is not ${PROMPT_CONTAINER_DESCRIPTION}, so its cues must carry the match on their own.`,
      blocksSave: false,
    });
  }
  const checked = options.filter((o) => o.checked);
  const cues = new Set(checked.map((o) => o.cue));
  const total = checked.reduce((sum, o) => sum + o.evidence.weight, 0) + containerWeight(container, isPrompt);
  const tooWeak: ProposalWarning = {
    kind: 'too-weak',
    message: `The chosen cues weigh ${total.toFixed(2)}, below the ${PROPOSAL_THRESHOLD} needed: this prompt would not be recognised. Keep more cues.`,
    blocksSave: true,
  };
  if (!signature && checked.length > 0 && problems.every((p) => p.startsWith('threshold'))) {
    warnings.push(tooWeak);
    return warnings;
  }
  if (!signature) {
    warnings.push({
      kind: 'invalid',
      message: `These cues do not make a usable signature: ${problems.join('; ') || 'choose at least one'}.`,
      blocksSave: true,
    });
    return warnings;
  }
  if (total + 1e-9 < signature.threshold) {
    warnings.push(tooWeak);
  } else if (cues.size < 2) {
    warnings.push({
      kind: 'single-cue',
      message: 'Only one kind of cue is kept: the signature is easier to fool. Keep two kinds when you can.',
      blocksSave: false,
    });
  }
  const elsewhere = matchesElsewhere(signature, container);
  if (elsewhere > 0) {
    warnings.push({
      kind: 'free-text',
      message: `It would also flag ${elsewhere} other place${elsewhere === 1 ? '' : 's'} on this page (free text or another panel). Untick the cue that is too broad.`,
      blocksSave: true,
    });
  }
  return warnings;
}

/** Builds a proposal for the element the user chose. */
export function proposeSignature(element: Element, meta: SignatureMeta): Proposal {
  const { container, isPrompt } = containerOf(element);
  const evidenceOptions = evidenceOptionsFor(container);
  return reviewProposal(container, isPrompt, evidenceOptions, meta);
}

/** Recomputes signature and warnings after the user changes options (or the tool). */
export function reviewProposal(
  container: Element,
  isPrompt: boolean,
  evidenceOptions: EvidenceOption[],
  meta: SignatureMeta,
): Proposal {
  const label = collapse(labelOf(container)).slice(0, MAX_LABEL_LENGTH);
  const built = signatureFromOptions(evidenceOptions, meta, label);
  const warnings = reviewSignature(built.signature, evidenceOptions, container, built.problems);
  return {
    container,
    isPrompt,
    signature: built.signature,
    evidenceOptions,
    warnings,
    canSave: !!built.signature && !warnings.some((w) => w.blocksSave),
  };
}
