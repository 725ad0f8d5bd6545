import type { SOURCE_BASIS } from '../catalogue/constants';
import type { EvidenceKind } from '../catalogue/schema';
import { hostOf } from '../match-pattern';
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
} from './compile';

/** What matched, without any page text: kinds and weights only. */
export interface EvidenceHit {
  kind: EvidenceKind | 'container';
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

/** Closest ancestor-or-self matching `selector`, continuing from a shadow root to its host. */
export function closestAcrossShadow(element: Element, selector: string): Element | null {
  let current: Element | null = element;
  while (current) {
    const found = current.closest(selector);
    if (found) return found;
    const root = current.getRootNode();
    current = root instanceof ShadowRootCtor() ? (root as ShadowRoot).host : null;
  }
  return null;
}

/** Whether `element` is inside `container`, also from within shadow roots below it. */
export function containsAcrossShadow(container: Element, element: Element): boolean {
  let current: Element | null = element;
  while (current) {
    if (container.contains(current)) return true;
    const root = current.getRootNode();
    current = root instanceof ShadowRootCtor() ? (root as ShadowRoot).host : null;
  }
  return false;
}

function ShadowRootCtor(): typeof ShadowRoot {
  // happy-dom and browsers both define ShadowRoot globally; guard for odd realms.
  return (globalThis.ShadowRoot ?? class {}) as typeof ShadowRoot;
}

/** Where evidence found at `element` is grouped, and whether that place looks like a prompt. */
export function containerOf(element: Element): { container: Element; isPrompt: boolean } {
  const prompt = closestAcrossShadow(element, PROMPT_CONTAINER_SELECTOR);
  if (prompt) return { container: prompt, isPrompt: true };
  const generic = element.closest(GENERIC_CONTAINER_SELECTOR);
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
 * Searches `root` (itself included) and every shadow root inside it. Evidence found by
 * attribute (labels, roles, tokens) is asked of the browser, one simple query each,
 * which it answers far faster than one list of every selector. Evidence found by tag
 * (headings, controls, frames) is judged during the one walk the tree needs anyway to
 * find shadow roots.
 */
export function searchTree(
  catalogue: CompiledCatalogue,
  root: Document | ShadowRoot | Element,
  getShadowRoot: ShadowRootAccessor = openShadowRoot,
  found: TreeSearch = emptySearch(),
): TreeSearch {
  const { hits } = found;
  if (root instanceof Element) attributeHits(catalogue, root, hits);
  for (const query of catalogue.attributeQueries) {
    const elements = root.querySelectorAll(query.selector);
    for (let i = 0; i < elements.length; i++) {
      const element = elements[i] as Element;
      if (!SKIPPED_TAGS.has(element.localName)) runReaders(query, element, hits);
    }
  }
  walkTree(catalogue, root, getShadowRoot, found);
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
  judgeInSmallTree(catalogue, root, getShadowRoot, found);
  for (let i = 0; i < elements.length; i++)
    judgeInSmallTree(catalogue, elements[i] as Element, getShadowRoot, found);
  return found;
}

const CANNOT_HOST = new Set(CANNOT_HOST_SHADOW);

function judgeInSmallTree(
  catalogue: CompiledCatalogue,
  element: Element,
  getShadowRoot: ShadowRootAccessor,
  found: TreeSearch,
): void {
  const tag = element.localName;
  elementHits(catalogue, element, found.hits, tag);
  if (!SKIPPED_TAGS.has(tag) && !CANNOT_HOST.has(tag))
    checkHost(catalogue, element, tag, getShadowRoot, found);
}

/** A shadow root is searched in full; a custom element not yet upgraded is noted. */
function checkHost(
  catalogue: CompiledCatalogue,
  element: Element,
  tag: string,
  getShadowRoot: ShadowRootAccessor,
  found: TreeSearch,
): void {
  const shadow = getShadowRoot(element, tag);
  if (shadow) {
    found.shadowRoots.push(shadow);
    searchTree(catalogue, shadow, getShadowRoot, found);
  } else if (tag.includes('-') && !element.matches(':defined')) found.undefinedHosts.push(element);
}

/** The walk: tag evidence, shadow roots (searched in full), hosts not yet upgraded. */
function walkTree(
  catalogue: CompiledCatalogue,
  root: Document | ShadowRoot | Element,
  getShadowRoot: ShadowRootAccessor,
  found: TreeSearch,
): void {
  const { hits } = found;
  const { byTag } = catalogue;
  const doc = (root as Node).ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root, 1 /* NodeFilter.SHOW_ELEMENT */);
  for (let node = root instanceof Element ? root : walker.nextNode(); node; node = walker.nextNode()) {
    const element = node as Element;
    const tag = element.localName;
    if (SKIPPED_TAGS.has(tag)) continue;
    const tagged = byTag.get(tag);
    if (tagged) for (const query of tagged) runReaders(query, element, hits);
    checkHost(catalogue, element, tag, getShadowRoot, found);
  }
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

/**
 * The text under `root`, each text node set apart by a space: textContent would run
 * "Original" and "Prescribing" together across element boundaries, hiding a phrase an
 * exclusion looks for. Bounded; used only in memory, for the veto.
 */
export function separatedText(root: Node, limit: number): string {
  const doc = root.ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  let text = '';
  for (let node = walker.nextNode(); node && text.length < limit; node = walker.nextNode()) {
    text += ` ${(node as Text).data}`;
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
): boolean {
  if (signature.exclusions.length === 0) return false;
  // Bounded read of the container's own text: used only in memory, for the veto.
  const text = normaliseText(`${labelOf(container)} ${separatedText(container, 20_000)}`);
  const hostText = hitElements
    .map((e) => e.getRootNode())
    .filter((r): r is ShadowRoot => r instanceof ShadowRootCtor())
    .map((r) => normaliseText(separatedText(r, 20_000)))
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

/**
 * Scores raw hits: groups them per signature and container, adds page-level evidence
 * and the prompt-container weight, applies the threshold and the exclusions.
 */
export function score(
  catalogue: CompiledCatalogue,
  hits: RawHit[],
  ctx: FrameContext,
  pageRoot?: Element | null,
): Finding[] {
  const groups = new Map<
    string,
    { signatureIndex: number; container: Element; isPrompt: boolean; hits: RawHit[] }
  >();
  const containers = new Map<Element, { container: Element; isPrompt: boolean }>();
  const keyOf = new Map<Element, number>();
  for (const hit of hits) {
    let place = containers.get(hit.element);
    if (!place) {
      place = containerOf(hit.element);
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
  // grouped at the frame's root element.
  const rootElement = hits[0]?.element.ownerDocument.body ?? pageRoot;
  if (rootElement) {
    const rootKey = keyOf.get(rootElement) ?? -1;
    catalogue.signatures.forEach((compiled, signatureIndex) => {
      if (!compiled.pageEvidence.some((p) => p.test(ctx))) return;
      const key = `${signatureIndex}:${rootKey}`;
      if (!groups.has(key))
        groups.set(key, { signatureIndex, container: rootElement, isPrompt: false, hits: [] });
    });
  }

  const findings: Finding[] = [];
  for (const group of groups.values()) {
    const compiled = catalogue.signatures[group.signatureIndex];
    if (!compiled) continue;
    const { signature } = compiled;
    const matched = new Map<number, Set<string>>();
    for (const hit of group.hits) {
      const labels = matched.get(hit.evidenceIndex) ?? new Set<string>();
      labels.add(hit.label ?? '');
      matched.set(hit.evidenceIndex, labels);
    }
    const evidence: EvidenceHit[] = [];
    let total = 0;
    let documented = 0;
    const contributing: Element[] = [];
    signature.evidence.forEach((item, index) => {
      const labels = matched.get(index);
      if (!labels) return;
      if (item.kind === 'controls') {
        const needed = item.minMatches ?? item.labels.length;
        if (labels.size < needed) return;
      }
      evidence.push({ kind: item.kind, basis: item.basis, weight: item.weight });
      total += item.weight;
      if (item.basis === 'documented') documented += item.weight;
      for (const hit of group.hits) if (hit.evidenceIndex === index) contributing.push(hit.element);
    });
    const pageOnly = group.hits.length === 0;
    if (evidence.length === 0 && !pageOnly) continue;
    for (const page of compiled.pageEvidence) {
      if (matched.has(page.evidenceIndex) || !page.test(ctx)) continue;
      const item = signature.evidence[page.evidenceIndex];
      if (!item) continue;
      evidence.push({ kind: item.kind, basis: item.basis, weight: item.weight });
      total += item.weight;
      if (item.basis === 'documented') documented += item.weight;
    }
    if (group.isPrompt) {
      evidence.push({ kind: 'container', basis: 'documented', weight: PROMPT_CONTAINER_WEIGHT });
      total += PROMPT_CONTAINER_WEIGHT;
      documented += PROMPT_CONTAINER_WEIGHT;
    }
    // Float sums: compare with a small tolerance so 0.5 + 0.3 reaches 0.8.
    if (total + 1e-9 < signature.threshold) continue;
    if (excluded(compiled, group.container, contributing, ctx)) continue;
    findings.push({
      toolId: signature.toolId,
      signatureId: signature.id,
      element:
        group.isPrompt || contributing.length === 0
          ? group.container
          : lowestCommonAncestor(contributing, group.container),
      container: group.container,
      evidence,
      score: Math.round(total * 100) / 100,
      confidence: documented + 1e-9 >= signature.threshold ? 'high' : 'moderate',
    });
  }
  return findings;
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
): Finding[] {
  const { hits } = searchTree(catalogue, root, getShadowRoot);
  const doc = root instanceof Document ? root : (root as Node).ownerDocument;
  return score(catalogue, hits, ctx, doc?.body ?? doc?.documentElement);
}

/** Frame context read from a document (the URL stays in memory only). */
export function frameContextOf(doc: Document): FrameContext {
  return { pageUrl: doc.location?.href ?? doc.URL ?? '', documentTitle: doc.title ?? '' };
}
