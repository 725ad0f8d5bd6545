import { type CompiledCatalogue, PROMPT_CONTAINER_SELECTOR } from './compile';
import {
  containerOf,
  containsAcrossShadow,
  elementHits,
  type Finding,
  frameContextOf,
  openShadowRoot,
  type RawHit,
  type ShadowRootAccessor,
  score,
  searchSmallTree,
  searchTree,
  textEvidenceOwner,
} from './scan';

/**
 * Incremental detection for a live document. The MutationObserver callback only
 * records what changed; matching happens later, batched and time-sliced, on the
 * changed subtrees alone, so cost follows what changed, not page size.
 */

export interface Scheduler {
  now(): number;
  /** Runs `callback` after `ms`; returns a cancel function. */
  later(callback: () => void, ms: number): () => void;
}

export interface WatcherOptions {
  document: Document;
  catalogue: CompiledCatalogue;
  /** Called with the complete set of current findings whenever it changes. */
  onChange: (findings: Finding[]) => void;
  getShadowRoot?: ShadowRootAccessor;
  scheduler?: Scheduler;
  /** Delay between a change and its processing while the page keeps changing: batches bursts. */
  batchDelayMs?: number;
  /**
   * While the page keeps changing, batches start at least this far apart: each batch has a
   * fixed cost, so this caps what a page that never stops changing can make the watcher spend.
   */
  batchGapMs?: number;
  /** After this long without a batch, a change is processed at once (a prompt on a quiet page). */
  quietMs?: number;
  /** Work per slice before yielding the main thread. */
  sliceBudgetMs?: number;
}

export interface Watcher {
  start(): void;
  stop(): void;
  /** Swap the catalogue (custom signatures arrived) and rescan everything. */
  setCatalogue(catalogue: CompiledCatalogue): void;
  /** Current findings. */
  findings(): Finding[];
  /** Processes everything pending now (tests, benchmark). */
  flush(): void;
}

/** Attributes whose change can turn an element into (or out of) a prompt-like container. */
const CONTAINER_ATTRIBUTES = new Set(['role', 'aria-modal', 'open', 'aria-label', 'aria-labelledby']);

/**
 * An inserted subtree with more possible shadow hosts than this (a new view, not a row or
 * a prompt) is searched like a document: one query per evidence kind and one walk.
 */
const SMALL_SUBTREE = 256;

/** Work items between clock reads: reading the clock costs as much as a small item. */
const ITEMS_PER_CLOCK_READ = 8;

/** Re-checks for shadow roots attached after insertion (custom elements upgraded late). */
const LATE_SHADOW_CHECKS_MS = [50, 250, 1000, 3000];

export const browserScheduler: Scheduler = {
  now: () => performance.now(),
  later: (callback, ms) => {
    const id = setTimeout(callback, ms);
    return () => clearTimeout(id);
  },
};

function findingKey(f: Finding): string {
  return `${f.signatureId}\u0000${f.toolId}`;
}

export function createWatcher(options: WatcherOptions): Watcher {
  const doc = options.document;
  const getShadowRoot = options.getShadowRoot ?? openShadowRoot;
  const scheduler = options.scheduler ?? browserScheduler;
  const batchDelay = options.batchDelayMs ?? 16;
  const batchGap = options.batchGapMs ?? 50;
  const quietMs = options.quietMs ?? 100;
  const sliceBudget = options.sliceBudgetMs ?? 4;
  let catalogue = options.catalogue;

  /** Findings per container, so a change re-scores only the containers it touched. */
  const byContainer = new Map<Element, Finding[]>();
  /**
   * Raw evidence per container, kept up to date by the changes themselves (new hits added,
   * changed elements re-read, removed ones dropped when the container is next scored), so
   * re-scoring a container costs what it holds as evidence, not its size.
   */
  const hitsIn = new Map<Element, RawHit[]>();
  /** Elements that have carried evidence: a change to one is re-read even if it is no longer a candidate. */
  let evidenceElements = new WeakSet<Element>();
  /** Containers to search afresh (their role or label changed, so grouping may differ). */
  const searchAfresh = new Set<Element>();
  let batches = 0;
  let observedRoots = new WeakSet<Node>();
  const pendingAdded: Element[] = [];
  /** Elements whose text changed, elements whose watched attributes changed. */
  const pendingText = new Set<Element>();
  const pendingAttributes = new Set<Element>();
  /** Elements whose role, label or modality changed: they may have become a prompt's container. */
  const pendingContainers = new Set<Element>();
  const pendingHosts = new Set<Element>();
  let pendingRemovals = false;
  let lastUrl = '';
  let lastTitle = '';
  let cancelFlush: (() => void) | undefined;
  let cancelHostCheck: (() => void) | undefined;
  let lastEmitted = '';
  let running = false;

  /** The observer's records, read when their batch runs. */
  const pendingRecords: MutationRecord[][] = [];

  // Keeps the records, unread: this runs for every burst of changes the page makes, and in
  // the extension's world the first DOM reads of a callback cost tens of microseconds; the
  // batch reads them once it has paid that anyway (the callback's cost was roughly halved).
  const observer = new MutationObserver((records) => {
    pendingRecords.push(records);
    schedule();
  });

  function readPendingRecords(): void {
    for (let k = 0; k < pendingRecords.length; k++) readRecords(pendingRecords[k] as MutationRecord[]);
    pendingRecords.length = 0;
  }

  /** Notes what the records changed; matching comes after. Indexed loops, fewest reads. */
  function readRecords(records: MutationRecord[]): void {
    // Removals matter only while something is found (it may have left).
    const watchRemovals = byContainer.size > 0;
    for (let r = 0; r < records.length; r++) {
      const record = records[r] as MutationRecord;
      const type = record.type;
      if (type === 'childList') {
        const added = record.addedNodes;
        let text = false;
        for (let i = 0; i < added.length; i++) {
          const node = added[i] as Node;
          const nodeType = node.nodeType;
          if (nodeType === 1) pendingAdded.push(node as Element);
          else if (nodeType === 3) text = true;
        }
        if (watchRemovals && record.removedNodes.length > 0) {
          pendingRemovals = true;
          // Removed text or controls can take evidence away from a prompt still shown.
          text = true;
        }
        if (text) {
          const target = record.target;
          if (target.nodeType === 1) pendingText.add(target as Element);
        }
      } else if (type === 'characterData') {
        const parent = record.target.parentElement;
        if (parent) pendingText.add(parent);
      } else {
        const target = record.target as Element;
        pendingAttributes.add(target);
        if (CONTAINER_ATTRIBUTES.has(record.attributeName ?? '')) pendingContainers.add(target);
      }
    }
  }

  function observe(root: Document | ShadowRoot): void {
    if (observedRoots.has(root)) return;
    observedRoots.add(root);
    observer.observe(root, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: catalogue.watchedAttributes,
    });
  }

  /** When the last batch ran, and when it was due (a page's long tasks can hold a timer back). */
  let lastBatchAt = Number.NEGATIVE_INFINITY;
  let lastBatchDue = Number.NEGATIVE_INFINITY;

  /**
   * A change on a quiet page (a prompt appearing) is processed at once; while the page
   * keeps changing, changes wait and are processed together, batchDelay after the first
   * and batchGap after the last batch was due at the earliest. Each batch has a fixed cost
   * (entering the extension's world, caches gone cold since the last one) that, on a busy
   * page, outweighs what its changes cost: fewer batches is what keeps the overhead low.
   * Counting the gap from when a batch was due keeps batches at most 1000 / batchGap a
   * second without adding to the wait on a page whose own long tasks already delay them.
   * Work a batch had no time for continues in the next task, not after the gap.
   */
  function schedule(continuing = false): void {
    if (!running || cancelFlush) return;
    const now = scheduler.now();
    const delay =
      continuing || now - lastBatchAt >= quietMs ? 0 : Math.max(batchDelay, lastBatchDue + batchGap - now);
    const due = now + delay;
    cancelFlush = scheduler.later(() => {
      cancelFlush = undefined;
      lastBatchDue = due;
      process(sliceBudget);
    }, delay);
  }

  function emit(): void {
    // The common case on a busy page: nothing found before, nothing now.
    if (byContainer.size === 0 && lastEmitted === '') return;
    const all = byContainer.size === 0 ? [] : current();
    const key = all.map(findingKey).sort().join('|');
    if (key === lastEmitted) return;
    lastEmitted = key;
    options.onChange(all);
  }

  function current(): Finding[] {
    return [...byContainer.values()].flat();
  }

  function fullScan(): void {
    byContainer.clear();
    const ctx = frameContextOf(doc);
    lastUrl = ctx.pageUrl;
    lastTitle = ctx.documentTitle;
    observe(doc);
    hitsIn.clear();
    const hits = search(doc);
    record(hits, new Set());
    for (const finding of score(catalogue, hits, ctx, doc.body ?? doc.documentElement)) addFinding(finding);
  }

  /**
   * Searches a tree and its shadow roots; watches the shadow roots from now on, and the
   * custom elements not yet upgraded (they may attach a shadow root later, unobserved).
   */
  function search(root: Document | ShadowRoot | Element, small = false): RawHit[] {
    const found =
      (small && root instanceof Element
        ? searchSmallTree(catalogue, root, getShadowRoot, SMALL_SUBTREE)
        : undefined) ?? searchTree(catalogue, root, getShadowRoot);
    for (const shadow of found.shadowRoots) observe(shadow);
    if (found.undefinedHosts.length > 0) {
      for (const host of found.undefinedHosts) pendingHosts.add(host);
      scheduleHostChecks(0);
    }
    return found.hits;
  }

  function addFinding(finding: Finding): void {
    const list = byContainer.get(finding.container) ?? [];
    list.push(finding);
    byContainer.set(finding.container, list);
  }

  function scheduleHostChecks(step: number): void {
    const delay = LATE_SHADOW_CHECKS_MS[step];
    if (delay === undefined || cancelHostCheck) return;
    cancelHostCheck = scheduler.later(() => {
      cancelHostCheck = undefined;
      const touched = new Set<Element>();
      checkPendingHosts(touched);
      if (touched.size > 0) {
        rescoreContainers(touched);
        emit();
      }
      if (pendingHosts.size === 0) return;
      if (step + 1 < LATE_SHADOW_CHECKS_MS.length) scheduleHostChecks(step + 1);
      else pendingHosts.clear(); // Never upgraded to a shadow host: stop looking.
    }, delay);
  }

  function checkPendingHosts(touched: Set<Element>): void {
    for (const host of [...pendingHosts]) {
      const shadow = host.isConnected ? getShadowRoot(host, host.localName) : null;
      if (shadow || !host.isConnected) pendingHosts.delete(host);
      if (!shadow) continue;
      observe(shadow);
      record(search(shadow), touched);
    }
  }

  /** Files hits under their containers, which are then due a score. */
  function record(hits: RawHit[], touched: Set<Element>): void {
    for (const hit of hits) {
      evidenceElements.add(hit.element);
      const { container } = containerOf(hit.element);
      const list = hitsIn.get(container);
      if (list) list.push(hit);
      else hitsIn.set(container, [hit]);
      touched.add(container);
    }
  }

  /** Re-scores containers from their evidence and replaces their findings. */
  function rescoreContainers(containers: Set<Element>): void {
    const ctx = frameContextOf(doc);
    for (const container of containers) {
      byContainer.delete(container);
      if (!container.isConnected) {
        hitsIn.delete(container);
        continue;
      }
      let hits: RawHit[];
      if (searchAfresh.has(container) || !hitsIn.has(container)) {
        searchAfresh.delete(container);
        hits = searchTree(catalogue, container, getShadowRoot).hits;
        for (const hit of hits) evidenceElements.add(hit.element);
      } else {
        // What was removed, or moved out, since it was found no longer counts; an element
        // moved within the container was found again, and counts once.
        const seen = new Map<Element, Set<number>>();
        hits = (hitsIn.get(container) as RawHit[]).filter((hit) => {
          const probe = hit.signatureIndex * 65_536 + hit.evidenceIndex;
          const probes = seen.get(hit.element);
          if (probes?.has(probe)) return false;
          if (!hit.element.isConnected || !containsAcrossShadow(container, hit.element)) return false;
          if (probes) probes.add(probe);
          else seen.set(hit.element, new Set([probe]));
          return true;
        });
      }
      hitsIn.set(container, hits);
      // Hits inside the scope may group into a nested container; keep only this one's.
      for (const finding of score(catalogue, hits, ctx, doc.body)) {
        if (finding.container === container || !byContainer.has(finding.container)) addFinding(finding);
      }
    }
  }

  /** Drops evidence of containers that left the page (they would otherwise be kept alive). */
  function forgetRemoved(): void {
    for (const [container, hits] of hitsIn) {
      if (!container.isConnected) hitsIn.delete(container);
      else if (hits.some((hit) => !hit.element.isConnected))
        hitsIn.set(
          container,
          hits.filter((hit) => hit.element.isConnected),
        );
    }
  }

  function hasPending(): boolean {
    return (
      pendingRecords.length > 0 ||
      pendingAdded.length > 0 ||
      pendingText.size > 0 ||
      pendingAttributes.size > 0 ||
      pendingContainers.size > 0
    );
  }

  function clearPending(): void {
    pendingRecords.length = 0;
    pendingAdded.length = 0;
    pendingText.clear();
    pendingAttributes.clear();
    pendingContainers.clear();
    pendingRemovals = false;
  }

  /**
   * An element's role, label or modality changed: it may have become a prompt-like
   * container (its evidence is searched afresh there) or stopped being one (its evidence
   * now counts in the container around it).
   */
  function regroup(element: Element, touched: Set<Element>): void {
    const parent = element.parentElement;
    const outer = parent ? containerOf(parent).container : undefined;
    if (element.matches(PROMPT_CONTAINER_SELECTOR)) {
      searchAfresh.add(element);
      touched.add(element);
      if (outer && byContainer.has(outer)) touched.add(outer);
    } else if (hitsIn.has(element) || byContainer.has(element)) {
      const moved = hitsIn.get(element) ?? [];
      hitsIn.delete(element);
      byContainer.delete(element);
      const { container } = containerOf(element);
      hitsIn.set(container, [...(hitsIn.get(container) ?? []), ...moved]);
      touched.add(container);
    }
  }

  /** One native test first: most attribute changes (a row's class) touch no candidate at all. */
  function isCandidate(element: Element): boolean {
    const { candidateSelector } = catalogue;
    return candidateSelector !== '' && element.matches(candidateSelector);
  }

  /** A text or attribute change: does it make or take away evidence? */
  function inspectChanged(element: Element, owner: Element | null, touched: Set<Element>): void {
    if (owner) {
      const fresh = elementHits(catalogue, owner, []);
      const { container } = containerOf(owner);
      const cached = hitsIn.get(container);
      if (fresh.length > 0) evidenceElements.add(owner);
      if (fresh.length > 0 || cached?.some((hit) => hit.element === owner)) {
        hitsIn.set(container, [...(cached ?? []).filter((hit) => hit.element !== owner), ...fresh]);
        touched.add(container);
        return;
      }
    }
    if (byContainer.size > 0) {
      // Any change in a prompt still shown may bring an exclusion's words: score it again.
      // containerOf walks the ancestors: only when a verdict can change.
      const { container } = containerOf(element);
      if (byContainer.has(container)) touched.add(container);
    }
  }

  function process(budgetMs: number): void {
    lastBatchAt = scheduler.now();
    const deadline = lastBatchAt + budgetMs;
    readPendingRecords();
    const touched = new Set<Element>();
    const ctx = frameContextOf(doc);
    if (ctx.pageUrl !== lastUrl || ctx.documentTitle !== lastTitle) {
      // In-app route change or a new window title: page-level evidence may differ.
      fullScan();
      clearPending();
      emit();
      return;
    }

    const hits: RawHit[] = [];
    let items = 0;
    let outOfTime = false;
    const spent = () => {
      outOfTime = ++items % ITEMS_PER_CLOCK_READ === 0 && scheduler.now() > deadline;
      return outOfTime;
    };
    while (pendingAdded.length > 0 && !outOfTime) {
      const added = pendingAdded.pop() as Element;
      if (added.isConnected) for (const hit of search(added, true)) hits.push(hit);
      spent();
    }
    // Sets are iterated in place (deleting as we go): no copy per item.
    for (const element of outOfTime ? [] : pendingText) {
      pendingText.delete(element);
      // Text is evidence only inside a heading, caption or control.
      if (element.isConnected) inspectChanged(element, textEvidenceOwner(catalogue, element), touched);
      if (spent()) break;
    }
    for (const element of outOfTime ? [] : pendingAttributes) {
      pendingAttributes.delete(element);
      // An element that lost the attribute its evidence was in is re-read too.
      if (element.isConnected)
        inspectChanged(
          element,
          evidenceElements.has(element) || isCandidate(element) ? element : null,
          touched,
        );
      if (spent()) break;
    }
    for (const element of outOfTime ? [] : pendingContainers) {
      pendingContainers.delete(element);
      if (element.isConnected) regroup(element, touched);
      if (spent()) break;
    }
    record(hits, touched);

    // Evidence of removed elements is dropped when its container is next scored; now and
    // then, also for containers no change touches, so they are not kept alive.
    if (++batches % 256 === 0 && hitsIn.size > 0) forgetRemoved();
    if (pendingRemovals) {
      pendingRemovals = false;
      for (const [container, findings] of byContainer) {
        if (!container.isConnected || findings.some((f) => !f.element.isConnected)) touched.add(container);
      }
    }
    if (pendingHosts.size > 0 && pendingHosts.size <= 200) checkPendingHosts(touched);
    if (touched.size > 0) rescoreContainers(touched);
    emit();
    if (hasPending()) schedule(true);
  }

  return {
    start() {
      if (running) return;
      running = true;
      fullScan();
      emit();
    },
    stop() {
      running = false;
      observer.disconnect();
      cancelFlush?.();
      cancelHostCheck?.();
      cancelFlush = undefined;
      cancelHostCheck = undefined;
      clearPending(); // the records hold the page's nodes
    },
    setCatalogue(next) {
      catalogue = next;
      if (!running) return;
      // The attribute filter depends on the catalogue: re-observe with the new one.
      observer.disconnect();
      fullScanAfterReset();
      emit();
    },
    findings: current,
    flush() {
      if (cancelFlush) {
        cancelFlush();
        cancelFlush = undefined;
      }
      // Changes the observer has queued but not yet delivered count too.
      const queued = observer.takeRecords();
      if (queued.length > 0) pendingRecords.push(queued);
      process(Number.POSITIVE_INFINITY);
    },
  };

  function fullScanAfterReset(): void {
    // The observer was disconnected: every root is observed afresh by the new scan.
    observedRoots = new WeakSet<Node>();
    evidenceElements = new WeakSet<Element>();
    fullScan();
  }
}
