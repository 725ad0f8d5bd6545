import type { BrandPosition } from '../../catalogue/constants';
import type { Evidence, Exclusion, Signature, TextPattern } from '../../catalogue/schema';
import { type SupportingCatalogue, supportingEvidence } from '../../catalogue/supporting';
import {
  attributesOfSelector,
  GENERIC_CONTAINER_SELECTOR,
  PROMPT_CONTAINER_ATTRIBUTES,
  PROMPT_CONTAINER_SELECTOR,
  PROMPT_CONTAINER_WEIGHT,
  REGION_CONTAINER_WEIGHT,
  STRONG_PROMPT_SELECTOR,
  VISIBILITY_ATTRIBUTES,
} from '../../dom-vocabulary';
import { compileUserRegex } from '../../patterns';
import { selectorError } from '../../selector';
import { shownText, withoutGlyphs } from './names';

/**
 * Turns catalogue data into probes the engine can run: each piece of element evidence
 * becomes the simplest query that finds its candidates (a tag name, one attribute test),
 * a reader that takes the candidate's text once, and a cheap test of that text.
 */

export type TextMatcher = (normalisedText: string) => boolean;

/** Structural text longer than this is running text, not a label: never evidence. */
export const MAX_LABEL_LENGTH = 160;

/**
 * Reads the text an element offers as evidence (its heading text, label, control label,
 * an attribute), normalised, once per element however many signatures look at it; ''
 * when it offers none.
 */
export interface Reader {
  id: string;
  read: (element: Element) => string;
  /** True when the text comes from the element's descendants, so a text change inside it matters. */
  readsDescendantText?: boolean;
}

export interface ElementProbe {
  signatureIndex: number;
  evidenceIndex: number;
  /** Given the reader's text: the label matched (controls), true, or false when not evidence. */
  test: (text: string) => string | boolean;
}

/**
 * Which elements a query finds: as a selector, for whole trees (the browser's selector
 * engine walks), and as the same test in plain code, for judging one element at a time
 * (the watcher's small inserts, where one call per query would cost more than the work).
 */
export type QueryGate =
  | { kind: 'tag'; tag: string }
  | { kind: 'attribute'; name: string; equals?: string; contains?: string }
  | { kind: 'selector' };

export interface ProbeQuery {
  selector: string;
  gate: QueryGate;
  /** Probes grouped by reader: each reader runs once per element found. */
  readers: { reader: Reader; probes: ElementProbe[] }[];
}

type PageTest = (ctx: FrameContext) => boolean;

export interface CompiledSignature {
  signature: Signature;
  /** Evidence index of the generic prompt controls (supporting), after the signature's own. */
  supportingControlsIndex: number;
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
  /**
   * One query per distinct selector. Single tag names and single attribute tests are
   * cheap for the browser over a whole tree; a list of many selectors is not (each costs
   * every element a check), so evidence is split into the simplest queries.
   */
  queries: ProbeQuery[];
  /** The same queries indexed for judging one element: by tag, by attribute, by selector. */
  byTag: Map<string, ProbeQuery[]>;
  byAttribute: Map<string, ProbeQuery[]>;
  /** byAttribute as two parallel arrays, for the per-element loop. */
  attributeNames: string[];
  attributeQueryLists: ProbeQuery[][];
  bySelector: ProbeQuery[];
  /** Every query by tag, and every other query, as one selector each (for small inserts). */
  tagSelector: string;
  attributeSelector: string;
  /** Either kind of candidate: one test for an element whose attributes changed. */
  candidateSelector: string;
  /** Candidates of either kind and possible shadow hosts: one query per small insert. */
  smallTreeSelector: string;
  /** Elements whose evidence is their descendants' text (headings, captions, controls). */
  textEvidenceSelector: string;
  probeCount: number;
  /** Attributes whose change can change a verdict (for the MutationObserver filter). */
  watchedAttributes: string[];
  /** Signatures that failed to compile (a bad custom selector), with the reason. */
  rejected: { signatureId: string; reason: string }[];
  /** Supporting evidence shared by every signature (see lib/catalogue/supporting.ts). */
  support?: CompiledSupport;
}

export interface CompiledSupport {
  controls: SupportingCatalogue['controls'];
  message: SupportingCatalogue['message'];
  /** Tests a container's rendered, normalised text for MO-message wording. */
  saysMoMessage: TextMatcher;
  /** Tests it for the clinical system's own safety-alert wording. */
  saysClinicalAlert: TextMatcher;
}

export interface FrameContext {
  /** The frame's own URL. Used only in memory for pageUrl evidence, never stored. */
  pageUrl: string;
  documentTitle: string;
  /**
   * A sub-frame's document is a container of its own (a vendor-served panel): its title
   * and URL count with every piece of evidence in it, not only at its root.
   */
  isFrame?: boolean;
}

export {
  GENERIC_CONTAINER_SELECTOR,
  PROMPT_CONTAINER_SELECTOR,
  PROMPT_CONTAINER_WEIGHT,
  REGION_CONTAINER_WEIGHT,
  STRONG_PROMPT_SELECTOR,
  VISIBILITY_ATTRIBUTES,
};

/** Where brand text counts, as tags and roles (headings, frames, images, legends) or attributes (labels). */
const BRAND_TAGS: Record<BrandPosition, readonly string[]> = {
  heading: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'],
  label: [],
  title: ['iframe', 'frame', 'object', 'embed'],
  alt: ['img', 'area', 'input'],
  legend: ['legend', 'caption'],
};

/** Controls: buttons, button-like roles and button inputs (the reader checks an input's type). */
const CONTROL_TAGS = ['button', 'input'];
const CONTROL_ROLES = ['button', 'menuitem'];

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

/** A name as read: icon glyphs removed, whitespace collapsed, lower case. */
export function normaliseName(text: string | null | undefined): string {
  return text ? normaliseText(withoutGlyphs(text)) : '';
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
      // A practice's pattern: RE2 (linear time), never the backtracking RegExp engine.
      const matches = compileUserRegex(value);
      return (text) => matches(text.slice(0, MAX_LABEL_LENGTH * 2));
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
    if (labelElement) text += ` ${shownText(labelElement, MAX_LABEL_LENGTH * 2)}`;
    if (text.length > MAX_LABEL_LENGTH) break;
  }
  return text;
}

/**
 * The accessible name of a control: aria-label, aria-labelledby, its shown text (icon
 * glyphs and aria-hidden parts left out, so "✓ Accept" is "accept"), a button input's
 * value or an image button's alt, then its title.
 */
export function controlLabel(element: Element): string {
  const labelled = labelOf(element);
  if (labelled.trim()) return normaliseName(labelled);
  if (element.localName === 'input') {
    const input = element as HTMLInputElement;
    return normaliseName(inputType(element) === 'image' ? element.getAttribute('alt') : input.value);
  }
  const text = shownText(element, 81);
  if (text.length > 80) return '';
  return normaliseName(text) || normaliseName(element.getAttribute('title'));
}

/** Text of a heading, legend or caption as shown; bounded, since only short text can be a label. */
const TEXT_READER: Reader = {
  id: 'text',
  read: (element) => normaliseName(shownText(element, MAX_LABEL_LENGTH * 8)),
  readsDescendantText: true,
};
const LABEL_READER: Reader = { id: 'label', read: (element) => normaliseName(labelOf(element)) };
const TITLE_READER: Reader = { id: 'title', read: (element) => normaliseName(element.getAttribute('title')) };
const ALT_READER: Reader = {
  id: 'alt',
  // <input> carries alt text only as an image button.
  read: (element) =>
    element.localName === 'input' && inputType(element) !== 'image'
      ? ''
      : normaliseName(element.getAttribute('alt')),
};
const CONTROL_READER: Reader = {
  id: 'control',
  read: (element) =>
    element.localName === 'input' && !BUTTON_INPUT_TYPES.has(inputType(element)) ? '' : controlLabel(element),
  readsDescendantText: true,
};
const PRESENCE_READER: Reader = { id: 'presence', read: () => 'present' };
const urlReader = (attribute: string): Reader => ({
  id: `url:${attribute}`,
  read: (element) => (element.getAttribute(attribute) ?? '').toLowerCase(),
});

const BUTTON_INPUT_TYPES = new Set(['button', 'submit']);

function inputType(element: Element): string {
  return (element.getAttribute('type') ?? '').toLowerCase();
}

/** One piece of element evidence, before queries with the same selector are merged. */
interface ProbeSpec {
  selector: string;
  gate: QueryGate;
  reader: Reader;
  test: ElementProbe['test'];
}

const byTagName = (tag: string): Pick<ProbeSpec, 'selector' | 'gate'> => ({
  selector: tag,
  gate: { kind: 'tag', tag },
});
const byRole = (role: string): Pick<ProbeSpec, 'selector' | 'gate'> => ({
  selector: `[role=${cssString(role)}]`,
  gate: { kind: 'attribute', name: 'role', equals: role },
});
const byAttribute = (name: string, contains?: string): Pick<ProbeSpec, 'selector' | 'gate'> => ({
  selector: contains === undefined ? `[${name}]` : `[${name}*=${cssString(contains)} i]`,
  gate: { kind: 'attribute', name, contains },
});

function compileEvidence(evidence: Evidence): { specs: ProbeSpec[]; page?: PageTest } {
  switch (evidence.kind) {
    case 'brand': {
      const matches = compileTextPattern(evidence.text);
      const specs: ProbeSpec[] = [];
      for (const position of evidence.positions) {
        // Answers with the position, so each distinct place the brand stands in counts.
        const test = (text: string) =>
          text.length > 0 && text.length <= MAX_LABEL_LENGTH && matches(text) ? position : false;
        const reader =
          position === 'heading' || position === 'legend'
            ? TEXT_READER
            : position === 'title'
              ? TITLE_READER
              : position === 'alt'
                ? ALT_READER
                : LABEL_READER;
        for (const tag of BRAND_TAGS[position]) specs.push({ ...byTagName(tag), reader, test });
        if (position === 'heading') specs.push({ ...byRole('heading'), reader, test });
        if (position === 'label') {
          specs.push({ ...byAttribute('aria-label'), reader, test });
          specs.push({ ...byAttribute('aria-labelledby'), reader, test });
        }
      }
      if (!evidence.positions.includes('title')) return { specs };
      // The frame's window title is a structural position too (a vendor iframe's document).
      return {
        specs,
        page: (ctx) => {
          const title = normaliseName(ctx.documentTitle);
          return title.length > 0 && title.length <= MAX_LABEL_LENGTH && matches(title);
        },
      };
    }
    case 'controls': {
      const wanted = new Set(evidence.labels.map(normaliseText));
      const test = (label: string) => (wanted.has(label) ? label : false);
      return {
        specs: [
          ...CONTROL_TAGS.map((tag) => ({ ...byTagName(tag), reader: CONTROL_READER, test })),
          ...CONTROL_ROLES.map((role) => ({ ...byRole(role), reader: CONTROL_READER, test })),
        ],
      };
    }
    case 'url': {
      const needle = evidence.contains.toLowerCase();
      return {
        specs: evidence.elements.map((tag) => ({
          ...byTagName(tag),
          reader: urlReader(URL_ATTRIBUTE[tag] ?? 'src'),
          test: (url: string) => url.includes(needle),
        })),
      };
    }
    case 'token': {
      const value = evidence.value.toLowerCase();
      const present = () => true;
      return {
        specs: [
          { ...byAttribute('id', value), reader: PRESENCE_READER, test: present },
          { ...byAttribute('class', value), reader: PRESENCE_READER, test: present },
        ],
      };
    }
    case 'attribute':
      return {
        specs: [
          {
            ...byAttribute(evidence.name.toLowerCase(), evidence.contains?.toLowerCase()),
            reader: PRESENCE_READER,
            test: () => true,
          },
        ],
      };
    case 'selector':
      return {
        specs: [
          {
            selector: evidence.selector,
            gate: { kind: 'selector' },
            reader: PRESENCE_READER,
            test: () => true,
          },
        ],
      };
    case 'pageUrl': {
      const needle = evidence.contains.toLowerCase();
      // A pattern without "/" is judged on the host alone, so a clinical system's own
      // guidance page about a tool (…/guidance/optimiserx) is not the tool.
      const withPath = needle.includes('/');
      return {
        specs: [],
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

function documentOf(node: ParentNode): Document {
  return (node as Node).ownerDocument ?? (node as Document);
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
  supporting: SupportingCatalogue | null = supportingEvidence,
): CompiledCatalogue {
  const compiled: CompiledSignature[] = [];
  const queries = new Map<string, ProbeQuery>();
  const rejected: CompiledCatalogue['rejected'] = [];
  let probeCount = 0;
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
  attributes.add('src').add('href').add('value').add('open').add('type');
  // A label reads without its aria-hidden parts (an icon): showing or hiding one changes it.
  attributes.add('aria-hidden');

  for (const signature of signatures) {
    const signatureIndex = compiled.length;
    const own: { evidenceIndex: number; spec: ProbeSpec }[] = [];
    const pageEvidence: CompiledSignature['pageEvidence'] = [];
    let reason: string | undefined;
    try {
      signature.evidence.forEach((evidence, evidenceIndex) => {
        const { specs, page } = compileEvidence(evidence);
        if (page) pageEvidence.push({ evidenceIndex, test: page });
        for (const spec of specs) own.push({ evidenceIndex, spec });
        if (evidence.kind === 'attribute') attributes.add(evidence.name.toLowerCase());
        if (evidence.kind === 'selector')
          for (const name of attributesOfSelector(evidence.selector)) attributes.add(name);
      });
      for (const { spec } of own) {
        if (spec.gate.kind === 'selector' && selectorCheckRoot)
          reason ??= selectorError(spec.selector, documentOf(selectorCheckRoot));
      }
    } catch (error) {
      reason = (error as Error).message;
    }
    if (reason) {
      rejected.push({ signatureId: signature.id, reason });
      continue;
    }
    if (supporting) {
      const wanted = new Set(supporting.controls.labels.map(normaliseText));
      const test = (label: string) => (wanted.has(label) ? label : false);
      const evidenceIndex = signature.evidence.length;
      for (const tag of CONTROL_TAGS)
        own.push({ evidenceIndex, spec: { ...byTagName(tag), reader: CONTROL_READER, test } });
      for (const role of CONTROL_ROLES)
        own.push({ evidenceIndex, spec: { ...byRole(role), reader: CONTROL_READER, test } });
    }
    compiled.push({
      signature,
      supportingControlsIndex: signature.evidence.length,
      pageEvidence,
      exclusions: [...globalExclusions, ...signature.exclusions].map((exclusion) => ({
        exclusion,
        text: exclusion.text ? compileTextPattern(exclusion.text) : undefined,
      })),
    });
    for (const { evidenceIndex, spec } of own) {
      let query = queries.get(spec.selector);
      if (!query) {
        query = { selector: spec.selector, gate: spec.gate, readers: [] };
        queries.set(spec.selector, query);
      }
      let group = query.readers.find((r) => r.reader.id === spec.reader.id);
      if (!group) {
        group = { reader: spec.reader, probes: [] };
        query.readers.push(group);
      }
      group.probes.push({ signatureIndex, evidenceIndex, test: spec.test });
      probeCount++;
    }
  }
  // Visibility: a prompt shown or hidden by these changes is flagged or withdrawn.
  for (const name of VISIBILITY_ATTRIBUTES) attributes.add(name);
  // Grouping: an element that becomes (or stops being) a prompt-like container regroups evidence.
  for (const name of PROMPT_CONTAINER_ATTRIBUTES) attributes.add(name);
  return {
    signatures: compiled,
    ...indexQueries([...queries.values()]),
    probeCount,
    watchedAttributes: [...attributes],
    rejected,
    support: supporting ? compileSupport(supporting) : undefined,
  };
}

/**
 * Tags the DOM forbids from hosting a shadow root (attachShadow and declarative roots
 * accept only custom elements and a few containers), the commonest first: the browser
 * stops at the first that matches. Listing what cannot host keeps every custom element
 * in, by construction.
 */
export const CANNOT_HOST_SHADOW = (
  'td,tr,a,li,button,input,img,i,b,strong,em,label,option,th,tbody,thead,table,ul,ol,br,svg,small,code,abbr,area,' +
  'bdi,bdo,canvas,caption,cite,col,colgroup,data,datalist,dd,del,dfn,dl,dt,embed,fieldset,figcaption,figure,form,' +
  'hr,iframe,ins,kbd,legend,link,map,mark,meta,meter,noscript,object,optgroup,output,picture,pre,progress,q,s,' +
  'samp,script,select,source,style,sub,summary,sup,template,textarea,tfoot,time,title,track,u,var,video,wbr'
).split(',');
/** Elements that may host a shadow root. */
export const MAY_HOST_SHADOW = `:not(${CANNOT_HOST_SHADOW.join(',')})`;

/**
 * Tags that fill most inserted content (rows, cells, lists, inline text). Rejecting
 * them first spares the browser testing each against every tag the catalogue wants.
 */
const COMMON_TAGS =
  'td,tr,div,span,li,a,p,th,tbody,thead,table,ul,ol,i,b,strong,em,label,option,small,br,svg'.split(',');

function tagCandidateSelector(tagQueries: ProbeQuery[]): string {
  if (tagQueries.length === 0) return '';
  const wanted = new Set(tagQueries.map((q) => q.selector));
  const rejected = COMMON_TAGS.filter((tag) => !wanted.has(tag));
  const list = [...wanted].join(',');
  return rejected.length > 0 ? `:not(${rejected.join(',')}):is(${list})` : list;
}

function indexQueries(
  queries: ProbeQuery[],
): Pick<
  CompiledCatalogue,
  | 'queries'
  | 'byTag'
  | 'byAttribute'
  | 'attributeNames'
  | 'attributeQueryLists'
  | 'bySelector'
  | 'tagSelector'
  | 'attributeSelector'
  | 'candidateSelector'
  | 'smallTreeSelector'
  | 'textEvidenceSelector'
> {
  const byTag = new Map<string, ProbeQuery[]>();
  const byAttribute = new Map<string, ProbeQuery[]>();
  const bySelector: ProbeQuery[] = [];
  const textEvidence: string[] = [];
  const add = (map: Map<string, ProbeQuery[]>, key: string, query: ProbeQuery) => {
    const list = map.get(key);
    if (list) list.push(query);
    else map.set(key, [query]);
  };
  for (const query of queries) {
    const { gate } = query;
    const readsText = query.readers.some((r) => r.reader.readsDescendantText);
    if (gate.kind === 'tag') {
      add(byTag, gate.tag, query);
    } else if (gate.kind === 'attribute') {
      add(byAttribute, gate.name, query);
    } else bySelector.push(query);
    if (readsText) textEvidence.push(query.selector);
  }
  const attributeQueries = queries.filter((q) => q.gate.kind !== 'tag');
  const tagSelector = tagCandidateSelector(queries.filter((q) => q.gate.kind === 'tag'));
  const attributeSelector = attributeQueries.map((q) => q.selector).join(',');
  return {
    queries,
    byTag,
    byAttribute,
    attributeNames: [...byAttribute.keys()],
    attributeQueryLists: [...byAttribute.values()],
    bySelector,
    tagSelector,
    attributeSelector,
    candidateSelector: [attributeSelector, tagSelector].filter(Boolean).join(','),
    smallTreeSelector: [tagSelector, attributeSelector, MAY_HOST_SHADOW].filter(Boolean).join(','),
    textEvidenceSelector: textEvidence.join(','),
  };
}

/** Phrases as one matcher on normalised text: whole words, hyphens and spaces alike. */
function phraseMatcher(phrases: readonly string[]): TextMatcher {
  // Punctuation reads as a space: "Formulary: AMBER" says "formulary amber".
  const alternatives = [...new Set(phrases.map((p) => normaliseText(p.replace(/-/g, ' '))))]
    .sort((a, b) => b.length - a.length)
    .map((p) => p.split(' ').map(escapeRegex).join('[\\s-]+'));
  // Fixed, literal alternatives (our own catalogue, never user input): linear to match.
  const re = new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${alternatives.join('|')})(?:$|[^\\p{L}\\p{N}])`, 'u');
  return (text) => re.test(text.replace(/[^\p{L}\p{N}£]+/gu, ' '));
}

function compileSupport(supporting: SupportingCatalogue): CompiledSupport {
  return {
    controls: supporting.controls,
    message: supporting.message,
    saysMoMessage: phraseMatcher(supporting.message.phrases),
    saysClinicalAlert: phraseMatcher(supporting.clinicalAlertPhrases),
  };
}
