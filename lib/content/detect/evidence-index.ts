import { PROMPT_CONTAINER_SELECTOR } from '../../dom-vocabulary';
import { containerOf, containsAcrossShadow, type Finding, type RawHit } from './scan';

/**
 * What the watcher has found where: raw evidence per container, kept up to date by the
 * changes themselves (new hits filed, changed elements re-read, removed ones dropped when
 * the container is next scored), so re-scoring a container costs what it holds as
 * evidence, not its size; and the verdicts: findings per flagged container, and the
 * containers held back (evidence enough but not shown, or short of a threshold).
 */
export interface EvidenceIndex {
  /** Findings per flagged container, so a change re-scores only the containers it touched. */
  readonly flagged: Map<Element, Finding[]>;
  /**
   * Containers a visibility or text change could flag: evidence enough but not shown
   * (a closed dialog, a hidden panel), or a tool's own evidence short of its threshold.
   */
  readonly held: Set<Element>;
  /** Raw evidence per container. */
  readonly evidence: Map<Element, RawHit[]>;
  /** Containers to search afresh (their role or label changed, so grouping may differ). */
  readonly searchAfresh: Set<Element>;
  /** Files hits under their containers, which are added to `touched` (due a score). */
  fileHits(hits: readonly RawHit[], touched: Set<Element>): void;
  /** Notes an element that carries evidence: a change to one is re-read even if it is no longer a candidate. */
  noteCarrier(element: Element): void;
  isCarrier(element: Element): boolean;
  /** Replaces what `owner` contributes as evidence in its container with `fresh`; whether anything changed. */
  reread(owner: Element, fresh: RawHit[], touched: Set<Element>): boolean;
  /** A container's evidence still in it: what was removed or moved out no longer counts. */
  evidenceStillIn(container: Element): RawHit[];
  addFinding(finding: Finding): void;
  /** Every finding, across containers. */
  findings(): Finding[];
  /** Adds every flagged and held-back container to `touched`. */
  touchFlaggedAndHeld(touched: Set<Element>): void;
  /** Whether a flagged or held-back container holds `element` (across shadow roots). */
  insideFlaggedOrHeld(element: Element): boolean;
  /** Whether `target` is, or encloses, a flagged or held-back container (across shadow roots). */
  enclosesFlaggedOrHeld(target: Element): boolean;
  /**
   * An element's role, label or modality changed: it may have become a prompt-like
   * container (its evidence is searched afresh there) or stopped being one (its evidence
   * now counts in the container around it).
   */
  regroup(element: Element, touched: Set<Element>): void;
  /** Drops evidence of containers that left the page (they would otherwise be kept alive). */
  forgetRemoved(): void;
  /** Forgets every verdict and all evidence (a full scan follows). */
  clear(): void;
  /** Forgets which elements carried evidence (a restart observes everything afresh). */
  forgetCarriers(): void;
}

/** `inFrame`: a sub-frame's document is a container of its own (see containerOf). */
export function createEvidenceIndex(inFrame: boolean): EvidenceIndex {
  const flagged = new Map<Element, Finding[]>();
  const held = new Set<Element>();
  const evidence = new Map<Element, RawHit[]>();
  const searchAfresh = new Set<Element>();
  let carriers = new WeakSet<Element>();

  const encloses = (target: Element, container: Element) => {
    for (let n: Element | null = container; n; ) {
      if (n === target || target.contains(n)) return true;
      const root = n.getRootNode();
      n = root instanceof ShadowRoot ? root.host : null;
    }
    return false;
  };

  return {
    flagged,
    held,
    evidence,
    searchAfresh,
    fileHits(hits, touched) {
      // An element often carries several hits (a button for two signatures): one lookup.
      let lastElement: Element | undefined;
      let container: Element | undefined;
      for (const hit of hits) {
        carriers.add(hit.element);
        if (hit.element !== lastElement) {
          lastElement = hit.element;
          container = containerOf(hit.element, inFrame).container;
        }
        if (!container) continue;
        const list = evidence.get(container);
        if (list) list.push(hit);
        else evidence.set(container, [hit]);
        touched.add(container);
      }
    },
    noteCarrier(element) {
      carriers.add(element);
    },
    isCarrier(element) {
      return carriers.has(element);
    },
    reread(owner, fresh, touched) {
      const { container } = containerOf(owner, inFrame);
      const cached = evidence.get(container);
      if (fresh.length > 0) carriers.add(owner);
      if (fresh.length === 0 && !cached?.some((hit) => hit.element === owner)) return false;
      evidence.set(container, [...(cached ?? []).filter((hit) => hit.element !== owner), ...fresh]);
      touched.add(container);
      return true;
    },
    evidenceStillIn(container) {
      // An element moved within the container was found again, and counts once.
      const seen = new Map<Element, Set<number>>();
      const gone = new Set<Element>();
      return (evidence.get(container) ?? []).filter((hit) => {
        const probe = hit.signatureIndex * 65_536 + hit.evidenceIndex;
        let probes = seen.get(hit.element);
        if (!probes) {
          // Each element is checked once, however many hits it carries.
          if (gone.has(hit.element)) return false;
          if (!hit.element.isConnected || !containsAcrossShadow(container, hit.element)) {
            gone.add(hit.element);
            return false;
          }
          probes = new Set();
          seen.set(hit.element, probes);
        }
        if (probes.has(probe)) return false;
        probes.add(probe);
        return true;
      });
    },
    addFinding(finding) {
      const list = flagged.get(finding.container) ?? [];
      list.push(finding);
      flagged.set(finding.container, list);
    },
    findings() {
      return [...flagged.values()].flat();
    },
    touchFlaggedAndHeld(touched) {
      for (const container of flagged.keys()) touched.add(container);
      for (const container of held) touched.add(container);
    },
    insideFlaggedOrHeld(element) {
      for (const container of flagged.keys()) if (containsAcrossShadow(container, element)) return true;
      for (const container of held) if (containsAcrossShadow(container, element)) return true;
      return false;
    },
    enclosesFlaggedOrHeld(target) {
      for (const container of flagged.keys()) if (encloses(target, container)) return true;
      for (const container of held) if (encloses(target, container)) return true;
      return false;
    },
    regroup(element, touched) {
      const parent = element.parentElement;
      const outer = parent ? containerOf(parent, inFrame).container : undefined;
      if (element.matches(PROMPT_CONTAINER_SELECTOR)) {
        searchAfresh.add(element);
        touched.add(element);
        if (outer && flagged.has(outer)) touched.add(outer);
      } else if (evidence.has(element) || flagged.has(element)) {
        const moved = evidence.get(element) ?? [];
        evidence.delete(element);
        flagged.delete(element);
        const { container } = containerOf(element, inFrame);
        evidence.set(container, [...(evidence.get(container) ?? []), ...moved]);
        touched.add(container);
      }
    },
    forgetRemoved() {
      for (const [container, hits] of evidence) {
        if (!container.isConnected) evidence.delete(container);
        else if (hits.some((hit) => !hit.element.isConnected))
          evidence.set(
            container,
            hits.filter((hit) => hit.element.isConnected),
          );
      }
    },
    clear() {
      flagged.clear();
      evidence.clear();
      held.clear();
      searchAfresh.clear();
    },
    forgetCarriers() {
      carriers = new WeakSet<Element>();
    },
  };
}
