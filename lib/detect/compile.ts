import { type BrandPosition, PROMPT_CONTAINER_WEIGHT } from '../catalogue/constants';
import type { Evidence, Exclusion, Signature, TextPattern } from '../catalogue/schema';

/**
 * Turns catalogue data into probes the engine can run: each piece of element evidence
 * becomes a CSS selector (so the browser's selector engine does the walking) plus a
 * cheap predicate on the few elements it returns.
 */

export type TextMatcher = (normalisedText: string) => boolean;

/** Structural text longer than this is running text, not a label: never evidence. */
export const MAX_LABEL_LENGTH = 160;

export interface ElementProbe {
  signatureIndex: number;
  evidenceIndex: number;
  selector: string;
  /** Returns the label matched (for controls) or true; false when the element is not evidence. */
  test: (element: Element) => string | boolean;
  /** True when matching the selector is the whole test (tokens, URLs, attributes, selectors). */
  presence?: boolean;
}

/** Probes that share one querySelectorAll: the same selector, or rare presence-only cues. */
export interface ProbeGroup {
  selector: string;
  probes: ElementProbe[];
  /** Members have different selectors: dispatch each element with matches(). */
  dispatch: boolean;
}

type PageTest = (ctx: FrameContext) => boolean;

export interface CompiledSignature {
  signature: Signature;
  /** Evidence judged on the frame (its URL, its window title), not on elements. */
  pageEvidence: { evidenceIndex: number; test: (ctx: FrameContext) => boolean }[];
  exclusions: CompiledExclusion[];
}

export interface CompiledExclusion {
  exclusion: Exclusion;
  text?: TextMatcher;
}

export interface CompiledCatalogue {
  signatures: CompiledSignature[];
  probes: ElementProbe[];
  /** The probes grouped so one tree walk serves many: see groupProbes. */
  probeGroups: ProbeGroup[];
  /** One selector matching anything any probe could match: the cheap first filter. */
  anyProbeSelector: string;
  /** Elements whose evidence reads their descendants' text (headings, captions, controls). */
  textEvidenceSelector: string;
  /** Attributes whose change can change a verdict (for the MutationObserver filter). */
  watchedAttributes: string[];
  /** Signatures that failed to compile (a bad custom selector), with the reason. */
  rejected: { signatureId: string; reason: string }[];
}

export interface FrameContext {
  /** The frame's own URL. Used only in memory for pageUrl evidence, never stored. */
  pageUrl: string;
  documentTitle: string;
}

export const PROMPT_CONTAINER_SELECTOR = [
  'dialog',
  '[role="dialog"]',
  '[role="alertdialog"]',
  '[role="alert"]',
  '[role="status"]',
  '[aria-modal="true"]',
  'aside',
  '[role="complementary"]',
  '[role="region"][aria-label]',
  '[role="region"][aria-labelledby]',
  'section[aria-label]',
  'section[aria-labelledby]',
].join(',');

/** Containers that group evidence but do not by themselves suggest a prompt. */
export const GENERIC_CONTAINER_SELECTOR = 'article,section,form,main,[role="main"],[role="article"],fieldset';

export { PROMPT_CONTAINER_WEIGHT };

const BRAND_SELECTORS: Record<BrandPosition, string> = {
  heading: 'h1,h2,h3,h4,h5,h6,[role="heading"]',
  label: '[aria-label],[aria-labelledby]',
  title: 'iframe[title],frame[title],object[title],embed[title]',
  alt: 'img[alt],area[alt],input[type="image"][alt]',
  legend: 'legend,caption',
};

const CONTROL_SELECTOR =
  'button,[role="button"],input[type="button"],input[type="submit"],a[role="button"],[role="menuitem"]';

const TEXT_EVIDENCE_SELECTOR = [BRAND_SELECTORS.heading, BRAND_SELECTORS.legend, CONTROL_SELECTOR].join(',');

const URL_ATTRIBUTE: Record<string, string> = {
  iframe: 'src',
  frame: 'src',
  script: 'src',
  img: 'src',
  link: 'href',
  a: 'href',
};

export function normaliseText(text: string | null | undefined): string {
  if (!text) return '';
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A CSS string literal for any text: quotes, backslashes and control characters escaped. */
export function cssString(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped here.
  return `"${value.replace(/["\\]/g, '\\$&').replace(/[\u0000-\u001f\u007f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}

export function compileTextPattern(pattern: TextPattern): TextMatcher {
  const value = pattern.value;
  switch (pattern.match) {
    case 'exact': {
      const wanted = normaliseText(value);
      return (text) => text === wanted;
    }
    case 'regex': {
      const re = new RegExp(value, 'iu');
      // Bounded input: labels are short, and regexes were vetted by the schema.
      return (text) => re.test(text.slice(0, MAX_LABEL_LENGTH * 2));
    }
    default: {
      const words = normaliseText(value).split(' ').map(escapeRegex).join('\\s+');
      const re = new RegExp(`(?:^|[^\\p{L}\\p{N}])${words}(?:$|[^\\p{L}\\p{N}])`, 'iu');
      return (text) => re.test(text);
    }
  }
}

/** The accessible label of a labelled element, resolved within its own tree. */
export function labelOf(element: Element): string {
  const aria = element.getAttribute('aria-label');
  if (aria) return aria;
  const ids = element.getAttribute('aria-labelledby');
  if (!ids) return '';
  const root = element.getRootNode() as Document | ShadowRoot;
  let text = '';
  for (const id of ids.split(/\s+/)) {
    const labelElement = root.getElementById?.(id);
    if (labelElement) text += ` ${labelElement.textContent ?? ''}`;
    if (text.length > MAX_LABEL_LENGTH) break;
  }
  return text;
}

function brandText(element: Element, positions: readonly BrandPosition[]): string[] {
  const texts: string[] = [];
  const tag = element.localName;
  if (positions.includes('heading') && element.matches(BRAND_SELECTORS.heading)) {
    texts.push(element.textContent ?? '');
  }
  if (
    positions.includes('label') &&
    (element.hasAttribute('aria-label') || element.hasAttribute('aria-labelledby'))
  ) {
    texts.push(labelOf(element));
  }
  if (
    positions.includes('title') &&
    (tag === 'iframe' || tag === 'frame' || tag === 'object' || tag === 'embed')
  ) {
    texts.push(element.getAttribute('title') ?? '');
  }
  if (positions.includes('alt') && element.hasAttribute('alt')) texts.push(element.getAttribute('alt') ?? '');
  if (positions.includes('legend') && (tag === 'legend' || tag === 'caption')) {
    texts.push(element.textContent ?? '');
  }
  return texts;
}

/** The visible label of a control: its text, value or aria-label. */
export function controlLabel(element: Element): string {
  const aria = element.getAttribute('aria-label');
  if (aria) return normaliseText(aria);
  if (element.localName === 'input') return normaliseText((element as HTMLInputElement).value);
  const text = element.textContent ?? '';
  return text.length > 80 ? '' : normaliseText(text);
}

function compileEvidence(
  evidence: Evidence,
  signatureIndex: number,
  evidenceIndex: number,
): ElementProbe[] | (ElementProbe[] & { page: PageTest }) | { page: PageTest } {
  const probe = (selector: string, test: ElementProbe['test']): ElementProbe => ({
    signatureIndex,
    evidenceIndex,
    selector,
    test,
  });
  const presence = (selector: string): ElementProbe => ({ ...probe(selector, () => true), presence: true });
  switch (evidence.kind) {
    case 'brand': {
      const matches = compileTextPattern(evidence.text);
      const selector = evidence.positions.map((p) => BRAND_SELECTORS[p]).join(',');
      const probes = [
        probe(selector, (element) =>
          brandText(element, evidence.positions).some((raw) => {
            const text = normaliseText(raw);
            return text.length > 0 && text.length <= MAX_LABEL_LENGTH && matches(text);
          }),
        ),
      ];
      if (!evidence.positions.includes('title')) return probes;
      // The frame's window title is a structural position too (a vendor iframe's document).
      return Object.assign(probes, {
        page: (ctx: FrameContext) => {
          const title = normaliseText(ctx.documentTitle);
          return title.length > 0 && title.length <= MAX_LABEL_LENGTH && matches(title);
        },
      });
    }
    case 'controls': {
      const wanted = new Set(evidence.labels.map(normaliseText));
      return [
        probe(CONTROL_SELECTOR, (element) => {
          const label = controlLabel(element);
          return wanted.has(label) ? label : false;
        }),
      ];
    }
    case 'url': {
      const needle = evidence.contains.toLowerCase();
      return evidence.elements.map((tag) => {
        const attribute = URL_ATTRIBUTE[tag] ?? 'src';
        return presence(`${tag}[${attribute}*=${cssString(needle)} i]`);
      });
    }
    case 'token': {
      const v = cssString(evidence.value.toLowerCase());
      return [presence(`[id*=${v} i],[class*=${v} i]`)];
    }
    case 'attribute': {
      const selector = evidence.contains
        ? `[${evidence.name}*=${cssString(evidence.contains.toLowerCase())} i]`
        : `[${evidence.name}]`;
      return [presence(selector)];
    }
    case 'selector':
      return [presence(evidence.selector)];
    case 'pageUrl': {
      const needle = evidence.contains.toLowerCase();
      // A pattern without "/" is judged on the host alone, so a clinical system's own
      // guidance page about a tool (…/guidance/optimiserx) is not the tool.
      const withPath = needle.includes('/');
      return {
        page: (ctx) => {
          try {
            const url = new URL(ctx.pageUrl);
            return (withPath ? `${url.host}${url.pathname}` : url.host).toLowerCase().includes(needle);
          } catch {
            return false;
          }
        },
      };
    }
  }
}

function isValidSelector(selector: string, probeRoot: ParentNode | undefined): string | undefined {
  if (!probeRoot) return undefined;
  try {
    // Parse only: an empty fragment throws on a bad selector without walking the page.
    const doc = (probeRoot as Node).ownerDocument ?? (probeRoot as Document);
    doc.createDocumentFragment().querySelector(selector);
    return undefined;
  } catch (error) {
    return `selector does not compile: ${(error as Error).message}`;
  }
}

/**
 * Compiles signatures (already schema-valid) and global exclusions. `selectorCheckRoot`
 * lets callers with a DOM reject selectors the browser cannot parse, signature by
 * signature, so one bad custom signature never disables the rest.
 */
export function compileCatalogue(
  signatures: readonly Signature[],
  globalExclusions: readonly Exclusion[] = [],
  selectorCheckRoot?: ParentNode,
): CompiledCatalogue {
  const compiled: CompiledSignature[] = [];
  const probes: ElementProbe[] = [];
  const rejected: CompiledCatalogue['rejected'] = [];
  const attributes = new Set([
    'id',
    'class',
    'role',
    'aria-label',
    'aria-labelledby',
    'aria-modal',
    'title',
    'alt',
  ]);
  attributes.add('src').add('href').add('value').add('open');

  for (const signature of signatures) {
    const signatureIndex = compiled.length;
    const ownProbes: ElementProbe[] = [];
    const pageEvidence: CompiledSignature['pageEvidence'] = [];
    let reason: string | undefined;
    try {
      signature.evidence.forEach((evidence, evidenceIndex) => {
        const out = compileEvidence(evidence, signatureIndex, evidenceIndex);
        if ('page' in out) pageEvidence.push({ evidenceIndex, test: out.page });
        if (Array.isArray(out)) ownProbes.push(...out);
        if (evidence.kind === 'attribute') attributes.add(evidence.name);
      });
      for (const p of ownProbes) reason ??= isValidSelector(p.selector, selectorCheckRoot);
    } catch (error) {
      reason = (error as Error).message;
    }
    if (reason) {
      rejected.push({ signatureId: signature.id, reason });
      continue;
    }
    compiled.push({
      signature,
      pageEvidence,
      exclusions: [...globalExclusions, ...signature.exclusions].map((exclusion) => ({
        exclusion,
        text: exclusion.text ? compileTextPattern(exclusion.text) : undefined,
      })),
    });
    probes.push(...ownProbes);
  }

  const selectors = [...new Set(probes.map((p) => p.selector))];
  return {
    signatures: compiled,
    probes,
    probeGroups: groupProbes(probes),
    anyProbeSelector: selectors.join(','),
    textEvidenceSelector: probes.length > 0 ? TEXT_EVIDENCE_SELECTOR : '',
    watchedAttributes: [...attributes],
    rejected,
  };
}

/**
 * One querySelectorAll per distinct selector instead of one per probe (signatures share
 * brand and control selectors), and one for all presence-only probes together: vendor
 * tokens, URLs and attributes match almost nothing, so one walk finds them all.
 */
function groupProbes(probes: readonly ElementProbe[]): ProbeGroup[] {
  const bySelector = new Map<string, ElementProbe[]>();
  const presence: ElementProbe[] = [];
  for (const p of probes) {
    if (p.presence) {
      presence.push(p);
      continue;
    }
    const list = bySelector.get(p.selector);
    if (list) list.push(p);
    else bySelector.set(p.selector, [p]);
  }
  const groups = [...bySelector].map(([selector, members]) => ({
    selector,
    probes: members,
    dispatch: false,
  }));
  const selectors = [...new Set(presence.map((p) => p.selector))];
  if (selectors.length > 0)
    groups.push({ selector: selectors.join(','), probes: presence, dispatch: selectors.length > 1 });
  return groups;
}
