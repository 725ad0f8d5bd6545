import type { SOURCE_BASIS } from '../../catalogue/constants';
import type { EvidenceKind } from '../../catalogue/schema';
import { hostOf } from '../../match-pattern';
import {
  CANNOT_HOST_SHADOW,
  type CompiledCatalogue,
  type CompiledSignature,
  cssString,
  type FrameContext,
  GENERIC_CONTAINER_SELECTOR,
  labelOf,
  normaliseText,
  PROMPT_CONTAINER_SELECTOR,
  PROMPT_CONTAINER_WEIGHT,
  type ProbeQuery,
  type QueryGate,
  REGION_CONTAINER_WEIGHT,
  STRONG_PROMPT_SELECTOR,
} from './compile';
import { type RenderedCheck, structurallyRendered } from './visibility';

/** What matched, without any page text: kinds and weights only. */
export interface EvidenceHit {
  /** `message`: MO-message wording (supporting); `container`: it sat in a prompt-like container. */
  kind: EvidenceKind | 'container' | 'message';
  basis: (typeof SOURCE_BASIS)[number];
  weight: number;
}

export interface Finding {
  toolId: string;
  signatureId: string;
  /** The prompt: the smallest element holding every piece of evidence. */
  element: Element;
  /** The container the evidence was grouped in (dialog, region, section or the root). */
  container: Element;
  evidence: EvidenceHit[];
  score: number;
  /** `high` when documented evidence alone reaches the threshold. */
  confidence: 'high' | 'moderate';
}

/** Never carry a prompt's evidence (their text is not rendered, or not the page's). */
const SKIPPED_TAGS = new Set(['style', 'meta', 'noscript', 'template', 'head', 'title']);

/** The element's shadow root, if the engine may see it; `tag` is its localName (already read). */
export type ShadowRootAccessor = (element: Element, tag: string) => ShadowRoot | null;

export const openShadowRoot: ShadowRootAccessor = (element) => element.shadowRoot;

export interface RawHit {
  signatureIndex: number;
  evidenceIndex: number;
  element: Element;
  /** For controls: which label matched. */
  label?: string;
}

/**
 * The shadow host above the tree `element` is in, or null at the document. Walks parent
 * links within the tree (shallow), not getRootNode(), which some DOMs answer by walking
 * the whole shadow-including ancestry: with thousands of nested roots that is quadratic.
 */
function hostAbove(element: Element): Element | null {
  let node: Node = element;
  for (let parent = node.parentNode; parent; parent = node.parentNode) {
    if (parent.nodeType === 11) return (parent as ShadowRoot).host ?? null;
    node = parent;
  }
  return null;
}

/**
 * Whether no shadow host lies above `element`: it is in its document's own tree. One
 * native call; hostAbove would read every ancestor (in the extension's world, a wrapper
 * each), and most changes a busy page makes are in its own tree.
 */
function inDocumentTree(element: Element): boolean {
  return element.ownerDocument.contains(element);
}

/** Closest ancestor-or-self matching `selector`, continuing from a shadow root to its host. */
export function closestAcrossShadow(element: Element, selector: string): Element | null {
  for (let current: Element | null = element; current; current = hostAbove(current)) {
    const found = current.closest(selector);
    if (found || inDocumentTree(current)) return found;
  }
  return null;
}

/** Whether `element` is inside `container`, also from within shadow roots below it. */
export function containsAcrossShadow(container: Element, element: Element): boolean {
  for (let current: Element | null = element; current; current = hostAbove(current)) {
    if (container.contains(current)) return true;
    if (inDocumentTree(current)) return false;
  }
  return false;
}

function ShadowRootCtor(): typeof ShadowRoot {
  // happy-dom and browsers both define ShadowRoot globally; guard for odd realms.
  return (globalThis.ShadowRoot ?? class {}) as typeof ShadowRoot;
}

/**
 * Where evidence found at `element` is grouped, and whether that place looks like a
 * prompt. In a sub-frame (`inFrame`), whatever is not in a prompt container belongs to
 * the frame's document as a whole: a vendor-served panel spreads its logo, message and
 * buttons over the page's own sections.
 */
export function containerOf(element: Element, inFrame = false): { container: Element; isPrompt: boolean } {
  const prompt = closestAcrossShadow(element, PROMPT_CONTAINER_SELECTOR);
  if (prompt) return { container: prompt, isPrompt: true };
  const generic = inFrame ? null : element.closest(GENERIC_CONTAINER_SELECTOR);
  if (generic) return { container: generic, isPrompt: false };
  const root = element.getRootNode();
  if (root instanceof ShadowRootCtor()) return { container: (root as ShadowRoot).host, isPrompt: false };
  const doc = element.ownerDocument;
  return { container: doc.body ?? doc.documentElement, isPrompt: false };
}

function runReaders(query: ProbeQuery, element: Element, hits: RawHit[]): void {
  for (const { reader, probes } of query.readers) {
    const text = reader.read(element);
    if (!text) continue;
    for (const probe of probes) {
      const result = probe.test(text);
      if (result === false) continue;
      hits.push({
        signatureIndex: probe.signatureIndex,
        evidenceIndex: probe.evidenceIndex,
        element,
        label: typeof result === 'string' ? result : undefined,
      });
    }
  }
}

/** What one search of a tree found. */
export interface TreeSearch {
  hits: RawHit[];
  /** Every shadow root inside the tree, nested ones included. */
  shadowRoots: ShadowRoot[];
  /** Custom elements not yet upgraded: they may attach a shadow root later, without a mutation. */
  undefinedHosts: Element[];
}

export const emptySearch = (): TreeSearch => ({ hits: [], shadowRoots: [], undefinedHosts: [] });

/**
 * A search of a tree that can stop and resume: a full scan or a large insert runs in the
 * same time slices as any other change. The shadow roots found are queued, not recursed
 * into, so no nesting depth can overflow the stack.
 */
export interface SearchJob {
  found: TreeSearch;
  done(): boolean;
  /** Searches until finished or until `outOfTime()` (asked every few elements) says stop. */
  step(outOfTime: () => boolean): void;
}

/** Tags that cannot host a shadow root (attachShadow refuses them). */
const CANNOT_HOST = new Set(CANNOT_HOST_SHADOW);

/** Elements walked between asking whether the slice is spent. */
const ELEMENTS_PER_TIME_CHECK = 64;

/**
 * Searches `root` (itself included) and every shadow root inside it in one walk, which
 * the tree needs anyway to find shadow roots: each element is judged by its tag
 * (headings, controls, frames) and its attributes (labels, roles, tokens). A
 * document-wide query per attribute cost each element one selector test per query, could
 * not be cut into slices (one query over a 220,000-element page took 5–35 ms in the
 * extension's world) and still needed the walk; judged in the walk, the attributes cost a
 * `hasAttributes()` for most elements and every step can stop at the slice's end.
 */
export function startSearch(
  catalogue: CompiledCatalogue,
  root: Document | ShadowRoot | Element,
  getShadowRoot: ShadowRootAccessor = openShadowRoot,
  found: TreeSearch = emptySearch(),
): SearchJob {
  const roots: (Document | ShadowRoot | Element)[] = [root];
  /** The walk under way, and the element it judged last (undefined: not started). */
  let walking: { root: Document | ShadowRoot | Element; at: Element | undefined } | undefined;
  const { hits } = found;
  const { byTag } = catalogue;

  function startWalk(next: Document | ShadowRoot | Element): void {
    walking = { root: next, at: undefined };
    if (next instanceof Element) judge(next);
  }

  function judge(element: Element): void {
    const tag = element.localName;
    if (SKIPPED_TAGS.has(tag)) return;
    const tagged = byTag.get(tag);
    if (tagged) for (const query of tagged) runReaders(query, element, hits);
    attributeHits(catalogue, element, hits);
    // Cells, rows, links and controls cannot host a shadow root: no property read for them.
    if (CANNOT_HOST.has(tag)) return;
    const shadow = noteHost(element, tag, getShadowRoot, found);
    if (shadow) roots.push(shadow);
  }

  return {
    found,
    done: () => walking === undefined && roots.length === 0,
    step(outOfTime) {
      for (;;) {
        if (!walking) {
          const next = roots.shift();
          if (!next) return;
          startWalk(next);
        }
        const current = walking as { root: Document | ShadowRoot | Element; at: Element | undefined };
        const { root } = current;
        // The page changed between slices and took the walk's place away: walk this root
        // again from its end (evidence found twice counts once).
        const at = current.at;
        let element = at && root.contains(at) ? previousElement(at, root) : lastElementIn(root);
        let count = 0;
        for (; element; element = previousElement(element, root)) {
          judge(element);
          if (++count % ELEMENTS_PER_TIME_CHECK === 0 && outOfTime()) {
            current.at = element;
            return;
          }
        }
        walking = undefined;
        if (outOfTime()) return;
      }
    },
  };
}

/**
 * A walk runs from the end of the tree back to its start: what a page adds over its
 * content (a modal, a panel injected by a script) is usually appended last, so a prompt
 * present at load is met in the first slices of a large page's scan. The last element
 * under `root` in document order (its deepest last descendant), or null.
 */
function lastElementIn(root: ParentNode): Element | null {
  let last = root.lastElementChild;
  while (last?.lastElementChild) last = last.lastElementChild;
  return last;
}

/** The element before `element` in document order, within `root` (never root itself), or null. */
function previousElement(element: Element, root: Node): Element | null {
  const sibling = element.previousElementSibling;
  if (sibling) return lastElementIn(sibling) ?? sibling;
  const parent = element.parentNode;
  return parent && parent !== root && parent.nodeType === 1 ? (parent as Element) : null;
}

/** `compute` asked once per element for the life of the returned function (one scoring). */
function memoised<V>(compute: (element: Element) => V): (element: Element) => V {
  const known = new Map<Element, V>();
  return (element) => {
    let value = known.get(element);
    if (value === undefined) {
      value = compute(element);
      known.set(element, value);
    }
    return value;
  };
}

const never = () => false;

/** Searches a whole tree at once (see startSearch). */
export function searchTree(
  catalogue: CompiledCatalogue,
  root: Document | ShadowRoot | Element,
  getShadowRoot: ShadowRootAccessor = openShadowRoot,
  found: TreeSearch = emptySearch(),
): TreeSearch {
  startSearch(catalogue, root, getShadowRoot, found).step(never);
  return found;
}

/**
 * Searches a small tree (an inserted row or prompt) with one native query and no walk:
 * it returns the candidates by tag or attribute and the elements that may host a shadow
 * root, and each is then judged. In the extension's world every element touched from
 * code costs a wrapper, so touching only these few is what keeps a busy page's inserts
 * cheap. Returns undefined, having found nothing, when that query returns more than
 * `limit` elements: search such a tree with searchTree instead.
 */
export function searchSmallTree(
  catalogue: CompiledCatalogue,
  root: Element,
  getShadowRoot: ShadowRootAccessor,
  limit: number,
): TreeSearch | undefined {
  const elements = root.querySelectorAll(catalogue.smallTreeSelector);
  if (elements.length > limit) return undefined;
  const found = emptySearch();
  const shadows: ShadowRoot[] = [];
  judgeInSmallTree(catalogue, root, getShadowRoot, found, shadows);
  for (let i = 0; i < elements.length; i++)
    judgeInSmallTree(catalogue, elements[i] as Element, getShadowRoot, found, shadows);
  // Shadow roots inside are searched in full, one after another (never recursively).
  for (const shadow of shadows) searchTree(catalogue, shadow, getShadowRoot, found);
  return found;
}

function judgeInSmallTree(
  catalogue: CompiledCatalogue,
  element: Element,
  getShadowRoot: ShadowRootAccessor,
  found: TreeSearch,
  shadows: ShadowRoot[],
): void {
  const tag = element.localName;
  elementHits(catalogue, element, found.hits, tag);
  if (!SKIPPED_TAGS.has(tag) && !CANNOT_HOST.has(tag)) {
    const shadow = noteHost(element, tag, getShadowRoot, found);
    if (shadow) shadows.push(shadow);
  }
}

/** The element's shadow root (noted, to be searched by the caller); a custom element not yet upgraded is noted. */
function noteHost(
  element: Element,
  tag: string,
  getShadowRoot: ShadowRootAccessor,
  found: TreeSearch,
): ShadowRoot | null {
  const shadow = getShadowRoot(element, tag);
  if (shadow) found.shadowRoots.push(shadow);
  else if (tag.includes('-') && !element.matches(':defined')) found.undefinedHosts.push(element);
  return shadow;
}

/** Probes found by attribute (or by a practice's selector) that accept `element` itself. */
function attributeHits(catalogue: CompiledCatalogue, element: Element, hits: RawHit[]): void {
  const { attributeNames, attributeQueryLists } = catalogue;
  if (attributeNames.length > 0 && element.hasAttributes()) {
    for (let a = 0; a < attributeNames.length; a++) {
      const value = element.getAttribute(attributeNames[a] as string);
      if (value === null) continue;
      const lower = value.toLowerCase();
      for (const query of attributeQueryLists[a] as ProbeQuery[]) {
        const gate = query.gate as Extract<QueryGate, { kind: 'attribute' }>;
        const accepted =
          gate.equals !== undefined
            ? value === gate.equals
            : gate.contains === undefined || lower.includes(gate.contains);
        if (accepted) runReaders(query, element, hits);
      }
    }
  }
  for (const query of catalogue.bySelector)
    if (element.matches(query.selector)) runReaders(query, element, hits);
}

/** The probes that accept `element` itself (not its descendants): by tag, by attribute, by selector. */
export function elementHits(
  catalogue: CompiledCatalogue,
  element: Element,
  hits: RawHit[] = [],
  tag = element.localName,
): RawHit[] {
  if (SKIPPED_TAGS.has(tag)) return hits;
  const tagged = catalogue.byTag.get(tag);
  if (tagged) for (const query of tagged) runReaders(query, element, hits);
  // One native test first: most elements carry none of the attributes evidence is in.
  const { attributeSelector } = catalogue;
  if (attributeSelector && element.matches(attributeSelector)) attributeHits(catalogue, element, hits);
  return hits;
}

/**
 * The element whose evidence is the text at `element` (a heading, caption or control it
 * sits in), if any: for judging a text change. One native closest(): cheaper, in the
 * extension's world, than reading each ancestor from code.
 */
export function textEvidenceOwner(catalogue: CompiledCatalogue, element: Element): Element | null {
  return catalogue.textEvidenceSelector ? element.closest(catalogue.textEvidenceSelector) : null;
}

/** Tags whose text no one sees. */
const UNRENDERED_TAGS = new Set(['style', 'script', 'noscript', 'template', 'head', 'title']);

/** Elements whose visibility the veto asks the browser about before it counts on markup alone. */
const STYLED_CHECKS = 2000;

/**
 * The rendered text under `root`, each text node set apart by a space: textContent would
 * run "Original" and "Prescribing" together across element boundaries, hiding a phrase
 * an exclusion looks for. Text nobody sees (style sheets, scripts, templates, `hidden`
 * parts, parts `isRendered` says are not shown) is left out: a vendor panel's hidden copy
 * of a name must not veto it. Bounded; iterative; used only in memory.
 */
export function separatedText(root: Node, limit: number, isRendered?: RenderedCheck): string {
  let text = '';
  let checks = 0;
  let node: Node | null =
    root.nodeType === 1 || root.nodeType === 9 || root.nodeType === 11 ? root.firstChild : null;
  while (node && text.length < limit) {
    let descend = false;
    if (node.nodeType === 3) text += ` ${(node as Text).data}`;
    else if (node.nodeType === 1) {
      const element = node as Element;
      descend =
        element.firstChild !== null &&
        !UNRENDERED_TAGS.has(element.localName) &&
        !element.hasAttribute('hidden') &&
        (!isRendered || checks++ >= STYLED_CHECKS || isRendered(element));
    }
    if (descend) {
      node = node.firstChild;
      continue;
    }
    while (node && node !== root && node.nextSibling === null) node = node.parentNode;
    node = node && node !== root ? node.nextSibling : null;
  }
  return text.slice(0, limit);
}

function lowestCommonAncestor(elements: Element[], within: Element): Element {
  const [first, ...rest] = elements;
  if (!first) return within;
  let candidate: Element | null = first;
  while (candidate && !rest.every((e) => candidate?.contains(e))) {
    candidate = candidate.parentElement;
  }
  return candidate && within.contains(candidate) ? candidate : within;
}

function excluded(
  signature: CompiledSignature,
  container: Element,
  hitElements: Element[],
  ctx: FrameContext,
  containerText: () => string,
  isRendered: RenderedCheck,
): boolean {
  if (signature.exclusions.length === 0) return false;
  const text = containerText();
  const hostText = hitElements
    .map((e) => e.getRootNode())
    .filter((r): r is ShadowRoot => r instanceof ShadowRootCtor())
    .map((r) => normaliseText(separatedText(r, 20_000, isRendered)))
    .join(' ');
  const pageHost = hostOf(ctx.pageUrl) ?? '';
  for (const { exclusion, text: textMatcher } of signature.exclusions) {
    if (textMatcher && (textMatcher(text) || (hostText && textMatcher(hostText)))) return true;
    if (exclusion.token) {
      const v = cssString(exclusion.token.toLowerCase());
      if (closestAcrossShadow(container, `[id*=${v} i],[class*=${v} i]`)) return true;
    }
    if (exclusion.urlContains) {
      const needle = exclusion.urlContains.toLowerCase();
      // The frame's host only: a clinical page whose path mentions a name is not that site.
      if (pageHost.includes(needle)) return true;
      const v = cssString(needle);
      if (container.querySelector(`iframe[src*=${v} i],script[src*=${v} i],a[href*=${v} i]`)) return true;
    }
  }
  return false;
}

/** Editable content (a note being typed, a form field) is the user's words, never a prompt's. */
const EDITABLE_SELECTOR =
  '[contenteditable]:not([contenteditable="false" i]),textarea,select,' +
  'input:not([type="button" i]):not([type="submit" i]):not([type="image" i]):not([type="reset" i])';

function isEditable(element: Element): boolean {
  return (
    element.ownerDocument.designMode === 'on' || closestAcrossShadow(element, EDITABLE_SELECTOR) !== null
  );
}

/**
 * What the place evidence was grouped in adds: a dialog, popover, alert or toast is a
 * prompt by nature, and so is an aside or labelled region that names itself as the tool
 * (`namesItself`: its own label or attributes are the evidence); any other aside or
 * region, or a sub-frame's own document, only perhaps (a settings panel is a labelled
 * region too).
 */
export function containerWeight(
  container: Element,
  isPrompt: boolean,
  isFrameDocument = false,
  namesItself = true,
): number {
  if (isPrompt)
    return namesItself || container.matches(STRONG_PROMPT_SELECTOR)
      ? PROMPT_CONTAINER_WEIGHT
      : REGION_CONTAINER_WEIGHT;
  return isFrameDocument ? REGION_CONTAINER_WEIGHT : 0;
}

/** Each further structural place the brand stands in adds half what the one before did. */
export function brandWeight(weight: number, positions: number): number {
  return positions <= 0 ? 0 : weight * (2 - 2 * 0.5 ** positions);
}

interface Group {
  signatureIndex: number;
  container: Element;
  isPrompt: boolean;
  hits: RawHit[];
}

/** One group's evidence added up: what counts, and how much of it is the tool's own. */
interface Tally {
  /** The tool's own evidence (not supporting, not the container). */
  evidence: EvidenceHit[];
  /** Supporting evidence: generic prompt controls. */
  supportingEvidence: EvidenceHit[];
  total: number;
  documented: number;
  primary: number;
  supporting: number;
  controlsMatched: boolean;
  contributing: Element[];
}

function tally(
  compiled: CompiledSignature,
  support: CompiledCatalogue['support'],
  hits: RawHit[],
  pageLabels: Map<number, string>,
): Tally {
  const { signature } = compiled;
  const matched = new Map<number, Set<string>>();
  for (const hit of hits) {
    const labels = matched.get(hit.evidenceIndex) ?? new Set<string>();
    labels.add(hit.label ?? '');
    matched.set(hit.evidenceIndex, labels);
  }
  for (const [index, label] of pageLabels) {
    const labels = matched.get(index) ?? new Set<string>();
    labels.add(label);
    matched.set(index, labels);
  }
  const result: Tally = {
    evidence: [],
    supportingEvidence: [],
    total: 0,
    documented: 0,
    primary: 0,
    supporting: 0,
    controlsMatched: false,
    contributing: [],
  };
  const add = (index: number, hit: EvidenceHit, isSupporting: boolean) => {
    (isSupporting ? result.supportingEvidence : result.evidence).push(hit);
    result.total += hit.weight;
    if (hit.basis === 'documented') result.documented += hit.weight;
    if (isSupporting) result.supporting += hit.weight;
    else result.primary += hit.weight;
    for (const h of hits) if (h.evidenceIndex === index) result.contributing.push(h.element);
  };
  signature.evidence.forEach((item, index) => {
    const labels = matched.get(index);
    if (!labels) return;
    let weight = item.weight;
    if (item.kind === 'controls') {
      if (labels.size < (item.minMatches ?? item.labels.length)) return;
      result.controlsMatched = true;
    } else if (item.kind === 'brand') weight = brandWeight(item.weight, labels.size);
    add(index, { kind: item.kind, basis: item.basis, weight }, false);
  });
  const controls = matched.get(compiled.supportingControlsIndex);
  if (support && controls && controls.size >= support.controls.minMatches) {
    result.controlsMatched = true;
    add(
      compiled.supportingControlsIndex,
      { kind: 'controls', basis: support.controls.basis, weight: support.controls.weight },
      true,
    );
  }
  return result;
}

/** What scoring found, and the containers a visibility or text change could still flag. */
export interface ScoreResult {
  findings: Finding[];
  /**
   * Containers whose evidence would reach a threshold if all of it were shown, or if an
   * MO message appeared in them: a watcher re-scores them when visibility or text changes.
   */
  pending: Element[];
}

/**
 * Scores raw hits: groups them per signature and container, adds page-level evidence
 * and the prompt-container weight, applies the threshold and the exclusions. Evidence
 * a clinician cannot see (`isRendered`) or that sits in editable content does not count.
 */
export function score(
  catalogue: CompiledCatalogue,
  hits: RawHit[],
  ctx: FrameContext,
  pageRoot?: Element | null,
  isRendered: RenderedCheck = structurallyRendered,
): Finding[] {
  return scoreInDetail(catalogue, hits, ctx, pageRoot, isRendered).findings;
}

export function scoreInDetail(
  catalogue: CompiledCatalogue,
  allHits: RawHit[],
  ctx: FrameContext,
  pageRoot?: Element | null,
  isRendered: RenderedCheck = structurallyRendered,
): ScoreResult {
  const inFrame = ctx.isFrame === true;
  const hits = allHits;
  // Asked only of groups that could become findings: rows of "Accept" buttons never are.
  const typedIn = memoised(isEditable);

  const groups = new Map<string, Group>();
  const containers = new Map<Element, { container: Element; isPrompt: boolean }>();
  const keyOf = new Map<Element, number>();
  for (const hit of hits) {
    let place = containers.get(hit.element);
    if (!place) {
      place = containerOf(hit.element, inFrame);
      containers.set(hit.element, place);
    }
    let containerKey = keyOf.get(place.container);
    if (containerKey === undefined) {
      containerKey = keyOf.size;
      keyOf.set(place.container, containerKey);
    }
    const key = `${hit.signatureIndex}:${containerKey}`;
    const group = groups.get(key) ?? { signatureIndex: hit.signatureIndex, ...place, hits: [] };
    group.hits.push(hit);
    groups.set(key, group);
  }

  // Page-level evidence (frame URL, window title) can carry a finding on its own,
  // grouped at the frame's root element; in a sub-frame it counts in every group too.
  const rootElement = allHits[0]?.element.ownerDocument.body ?? pageRoot;
  const pageMatches = catalogue.signatures.map((compiled) => {
    const labels = new Map<number, string>();
    for (const page of compiled.pageEvidence) {
      if (!page.test(ctx)) continue;
      const kind = compiled.signature.evidence[page.evidenceIndex]?.kind;
      labels.set(page.evidenceIndex, kind === 'brand' ? 'document-title' : 'page');
    }
    return labels;
  });
  if (rootElement) {
    const rootKey = keyOf.get(rootElement) ?? -1;
    pageMatches.forEach((labels, signatureIndex) => {
      const key = `${signatureIndex}:${rootKey}`;
      if (labels.size > 0 && !groups.has(key))
        groups.set(key, { signatureIndex, container: rootElement, isPrompt: false, hits: [] });
    });
  }

  const shown = memoised(isRendered);
  // Bounded read of the container's own rendered text: used only in memory.
  const textOf = memoised((container: Element) =>
    normaliseText(`${labelOf(container)} ${separatedText(container, 20_000, shown)}`),
  );

  const { support } = catalogue;
  const supportMax = support ? support.controls.weight + support.message.weight : 0;
  const findings: Finding[] = [];
  const pending: Element[] = [];
  for (const group of groups.values()) {
    const compiled = catalogue.signatures[group.signatureIndex];
    if (!compiled) continue;
    const { signature } = compiled;
    const threshold = signature.threshold - 1e-9; // float sums: 0.5 + 0.3 reaches 0.8
    const pageLabels =
      group.container === rootElement || inFrame
        ? (pageMatches[group.signatureIndex] as Map<number, string>)
        : new Map<number, string>();
    const frameDocument = inFrame && group.container === rootElement;
    const namesItself = group.hits.some(
      (hit) => hit.element === group.container && hit.evidenceIndex !== compiled.supportingControlsIndex,
    );
    const placeWeight = containerWeight(group.container, group.isPrompt, frameDocument, namesItself);
    // Everything, shown or not: can this group become a finding at all?
    const candidate = tally(compiled, support, group.hits, pageLabels);
    if (candidate.primary <= 0) continue;
    if (candidate.total + placeWeight + supportMax < threshold) continue;
    // Editable content (a note being typed) is the user's words: never evidence.
    const ownHits = group.hits.filter((hit) => !typedIn(hit.element));
    const all =
      ownHits.length === group.hits.length ? candidate : tally(compiled, support, ownHits, pageLabels);
    if (all.primary <= 0) continue;

    // A container no one can see (hidden, closed, collapsed to nothing) shows none of its evidence.
    const containerShown = group.hits.length === 0 || shown(group.container);
    const visibleHits = containerShown ? ownHits.filter((hit) => shown(hit.element)) : [];
    const seen =
      visibleHits.length === group.hits.length ? all : tally(compiled, support, visibleHits, pageLabels);
    let total = seen.primary;
    let documented = seen.documented;
    const evidence = [...seen.evidence];
    const shownPlaceWeight = containerShown ? placeWeight : 0;
    if (seen.primary > 0 && support) {
      const weight = seen.primary + shownPlaceWeight;
      // MO-message wording counts only where it stands in a prompt: a dialog, popover,
      // alert or toast, a vendor frame's document, or beside prompt buttons.
      const promptLike = shownPlaceWeight >= PROMPT_CONTAINER_WEIGHT || frameDocument || seen.controlsMatched;
      const wantsSupport =
        weight < threshold && weight + seen.supporting + support.message.weight >= threshold;
      // Support is read only when it can decide, and never counts in a clinical alert.
      if (wantsSupport && !support.saysClinicalAlert(textOf(group.container))) {
        evidence.push(...seen.supportingEvidence);
        total += seen.supporting;
        if (promptLike && support.saysMoMessage(textOf(group.container))) {
          evidence.push({ kind: 'message', basis: support.message.basis, weight: support.message.weight });
          total += support.message.weight;
        }
      }
    }
    if (shownPlaceWeight > 0 && seen.primary > 0) {
      evidence.push({ kind: 'container', basis: 'documented', weight: shownPlaceWeight });
      total += shownPlaceWeight;
      documented += shownPlaceWeight;
    }
    if (seen.primary <= 0 || total < threshold) {
      pending.push(group.container);
      continue;
    }
    if (excluded(compiled, group.container, seen.contributing, ctx, () => textOf(group.container), shown))
      continue;
    findings.push({
      toolId: signature.toolId,
      signatureId: signature.id,
      element:
        group.isPrompt || seen.contributing.length === 0
          ? group.container
          : lowestCommonAncestor(seen.contributing, group.container),
      container: group.container,
      evidence,
      score: Math.round(total * 100) / 100,
      confidence: documented >= threshold ? 'high' : 'moderate',
    });
  }
  return { findings, pending };
}

/**
 * One-shot scan of a document or shadow root, including every shadow root inside it.
 * Pure: reads the DOM, changes nothing, returns findings.
 */
export function scan(
  catalogue: CompiledCatalogue,
  root: Document | ShadowRoot | Element,
  ctx: FrameContext,
  getShadowRoot: ShadowRootAccessor = openShadowRoot,
  isRendered: RenderedCheck = structurallyRendered,
): Finding[] {
  const { hits } = searchTree(catalogue, root, getShadowRoot);
  const doc = root instanceof Document ? root : (root as Node).ownerDocument;
  return score(catalogue, hits, ctx, doc?.body ?? doc?.documentElement, isRendered);
}

/** Frame context read from a document (the URL stays in memory only). */
export function frameContextOf(doc: Document): FrameContext {
  const view = doc.defaultView;
  let isFrame = false;
  try {
    isFrame = view !== null && view !== view.top;
  } catch {
    isFrame = true;
  }
  return { pageUrl: doc.location?.href ?? doc.URL ?? '', documentTitle: doc.title ?? '', isFrame };
}
