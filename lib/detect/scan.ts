import type { SOURCE_BASIS } from '../catalogue/constants';
import type { EvidenceKind } from '../catalogue/schema';
import { hostOf } from '../match-pattern';
import {
  type CompiledCatalogue,
  type CompiledSignature,
  cssString,
  type FrameContext,
  GENERIC_CONTAINER_SELECTOR,
  labelOf,
  normaliseText,
  PROMPT_CONTAINER_SELECTOR,
  PROMPT_CONTAINER_WEIGHT,
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

/** Skipped outright: never carry a prompt's evidence. */
const SKIPPED_TAGS = new Set(['script', 'style', 'meta', 'link', 'noscript', 'template', 'head', 'title']);

export type ShadowRootAccessor = (element: Element) => ShadowRoot | null;

export const openShadowRoot: ShadowRootAccessor = (element) => element.shadowRoot;

interface RawHit {
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

/**
 * Runs every probe inside `scope` (and on `scope` itself) and returns raw hits. One
 * tree walk (`querySelectorAll` of the union selector) finds every candidate; each
 * candidate, usually a few dozen headings, labels and buttons, is then dispatched to
 * the probe groups it matches.
 */
export function collectHits(catalogue: CompiledCatalogue, scope: ParentNode): RawHit[] {
  const hits: RawHit[] = [];
  if (!catalogue.anyProbeSelector) return hits;
  const self = scope instanceof Element ? scope : null;
  const candidates: Element[] = [];
  if (self?.matches(catalogue.anyProbeSelector)) candidates.push(self);
  for (const el of scope.querySelectorAll(catalogue.anyProbeSelector)) candidates.push(el);
  const single = catalogue.probeGroups.length === 1;
  for (const element of candidates) {
    if (SKIPPED_TAGS.has(element.localName)) continue;
    for (const group of catalogue.probeGroups) {
      if (!single && !element.matches(group.selector)) continue;
      for (const probe of group.probes) {
        if (group.dispatch && !element.matches(probe.selector)) continue;
        const result = probe.test(element);
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
  return hits;
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
  const text = normaliseText(`${labelOf(container)} ${(container.textContent ?? '').slice(0, 20_000)}`);
  const hostText = hitElements
    .map((e) => e.getRootNode())
    .filter((r): r is ShadowRoot => r instanceof ShadowRootCtor())
    .map((r) => normaliseText((r.textContent ?? '').slice(0, 20_000)))
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

/** Every shadow root reachable from `root` (recursively), via `getShadowRoot`. */
export function collectShadowRoots(
  root: ParentNode,
  getShadowRoot: ShadowRootAccessor,
  into: ShadowRoot[] = [],
): ShadowRoot[] {
  const doc = (root as Node).ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root as Node, 1 /* NodeFilter.SHOW_ELEMENT */);
  let node: Node | null = root instanceof Element ? root : walker.nextNode();
  while (node) {
    const shadow = getShadowRoot(node as Element);
    if (shadow) {
      into.push(shadow);
      collectShadowRoots(shadow, getShadowRoot, into);
    }
    node = walker.nextNode();
  }
  return into;
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
  const roots: ParentNode[] = [root, ...collectShadowRoots(root, getShadowRoot)];
  const hits = roots.flatMap((r) => collectHits(catalogue, r));
  const doc = root instanceof Document ? root : (root as Node).ownerDocument;
  return score(catalogue, hits, ctx, doc?.body ?? doc?.documentElement);
}

/** Frame context read from a document (the URL stays in memory only). */
export function frameContextOf(doc: Document): FrameContext {
  return { pageUrl: doc.location?.href ?? doc.URL ?? '', documentTitle: doc.title ?? '' };
}
