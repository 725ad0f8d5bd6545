import type { CompiledCatalogue } from './compile';
import {
  collectHits,
  collectShadowRoots,
  containerOf,
  type Finding,
  frameContextOf,
  openShadowRoot,
  type ShadowRootAccessor,
  scan,
  score,
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
  /** Delay between a change and its processing: batches bursts of mutations. */
  batchDelayMs?: number;
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

const SKIP = new Set([
  'SCRIPT',
  'STYLE',
  'META',
  'LINK',
  'NOSCRIPT',
  'TEMPLATE',
  'HEAD',
  'TITLE',
  'BR',
  'svg',
]);

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
  const sliceBudget = options.sliceBudgetMs ?? 4;
  let catalogue = options.catalogue;

  /** Findings per container, so a change re-scores only the containers it touched. */
  const byContainer = new Map<Element, Finding[]>();
  const observedRoots = new WeakSet<Node>();
  const pendingAdded: Element[] = [];
  const pendingDirty = new Set<Element>();
  const pendingHosts = new Set<Element>();
  let pendingRemovals = false;
  let lastUrl = '';
  let lastTitle = '';
  let cancelFlush: (() => void) | undefined;
  let cancelHostCheck: (() => void) | undefined;
  let lastEmitted = '';
  let running = false;

  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'childList') {
        for (const node of record.addedNodes) {
          if (node.nodeType === 1 && !SKIP.has((node as Element).tagName)) pendingAdded.push(node as Element);
          else if (node.nodeType === 3 && node.parentElement) pendingDirty.add(node.parentElement);
        }
        if (record.removedNodes.length > 0) pendingRemovals = true;
      } else {
        const target =
          record.target.nodeType === 1 ? (record.target as Element) : record.target.parentElement;
        if (target) pendingDirty.add(target);
      }
    }
    schedule();
  });

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

  function schedule(): void {
    if (!running || cancelFlush) return;
    cancelFlush = scheduler.later(() => {
      cancelFlush = undefined;
      process(sliceBudget);
    }, batchDelay);
  }

  function emit(): void {
    const all = current();
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
    for (const finding of scan(catalogue, doc, ctx, getShadowRoot)) addFinding(finding);
    observe(doc);
    for (const shadow of collectShadowRoots(doc, getShadowRoot)) observe(shadow);
    watchUndefinedHosts(doc);
  }

  function addFinding(finding: Finding): void {
    const list = byContainer.get(finding.container) ?? [];
    list.push(finding);
    byContainer.set(finding.container, list);
  }

  /** Custom elements not yet upgraded may attach a shadow root later, without a mutation. */
  function watchUndefinedHosts(root: ParentNode): void {
    const candidates = root.querySelectorAll(':not(:defined)');
    if (candidates.length === 0) return;
    for (const el of candidates) pendingHosts.add(el);
    scheduleHostChecks(0);
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
      const shadow = host.isConnected ? getShadowRoot(host) : null;
      if (shadow || !host.isConnected) pendingHosts.delete(host);
      if (!shadow) continue;
      observe(shadow);
      for (const inner of [shadow, ...collectShadowRoots(shadow, getShadowRoot)]) {
        observe(inner as ShadowRoot);
        for (const hit of collectHits(catalogue, inner)) touched.add(containerOf(hit.element).container);
      }
    }
  }

  /** Re-scores one container from scratch and replaces its findings. */
  function rescoreContainers(containers: Set<Element>): void {
    const ctx = frameContextOf(doc);
    for (const container of containers) {
      byContainer.delete(container);
      if (!container.isConnected) continue;
      const scopes: ParentNode[] = [container, ...collectShadowRoots(container, getShadowRoot)];
      const hits = scopes.flatMap((s) => collectHits(catalogue, s));
      // Hits inside the scope may group into a nested container; keep only this one's.
      for (const finding of score(catalogue, hits, ctx, doc.body)) {
        if (finding.container === container || !byContainer.has(finding.container)) addFinding(finding);
      }
    }
  }

  /** Whether any probe of the catalogue accepts `element` itself (not its descendants). */
  function isEvidence(element: Element): boolean {
    if (!catalogue.anyProbeSelector || !element.matches(catalogue.anyProbeSelector)) return false;
    return catalogue.probes.some((probe) => element.matches(probe.selector) && probe.test(element) !== false);
  }

  function process(budgetMs: number): void {
    const deadline = scheduler.now() + budgetMs;
    const touched = new Set<Element>();
    const ctx = frameContextOf(doc);
    if (ctx.pageUrl !== lastUrl || ctx.documentTitle !== lastTitle) {
      // In-app route change or a new window title: page-level evidence may differ.
      fullScan();
      pendingAdded.length = 0;
      pendingDirty.clear();
      pendingRemovals = false;
      emit();
      return;
    }

    while (pendingAdded.length > 0 || pendingDirty.size > 0) {
      const element = pendingAdded.pop();
      if (element) {
        if (!element.isConnected) continue;
        const hasProbeHit =
          catalogue.anyProbeSelector !== '' &&
          (element.matches(catalogue.anyProbeSelector) || element.querySelector(catalogue.anyProbeSelector));
        const shadows = collectShadowRoots(element, getShadowRoot);
        for (const shadow of shadows) observe(shadow);
        if (element.localName.includes('-') && !getShadowRoot(element))
          watchUndefinedHosts(element.parentNode ?? element);
        if (hasProbeHit || shadows.length > 0) {
          for (const hit of [element, ...shadows].flatMap((s) => collectHits(catalogue, s))) {
            touched.add(containerOf(hit.element).container);
          }
        }
      } else {
        const [dirty] = pendingDirty;
        if (!dirty) break;
        pendingDirty.delete(dirty);
        if (!dirty.isConnected) continue;
        // An attribute or text change can add or remove evidence. A container with findings
        // is re-scored; one without only if the change made evidence: the element itself
        // (an attribute) or the heading / control whose text the change is part of.
        // containerOf walks the ancestors: only when a verdict can change.
        const owner = isEvidence(dirty)
          ? dirty
          : catalogue.textEvidenceSelector
            ? dirty.closest(catalogue.textEvidenceSelector)
            : null;
        if (owner && (owner === dirty || isEvidence(owner))) {
          touched.add(containerOf(owner).container);
        } else if (byContainer.size > 0) {
          const { container } = containerOf(dirty);
          if (byContainer.has(container)) touched.add(container);
        }
      }
      if (scheduler.now() > deadline) break;
    }

    if (pendingRemovals) {
      pendingRemovals = false;
      for (const [container, findings] of byContainer) {
        if (!container.isConnected || findings.some((f) => !f.element.isConnected)) touched.add(container);
      }
    }
    if (pendingHosts.size > 0 && pendingHosts.size <= 200) checkPendingHosts(touched);
    if (touched.size > 0) rescoreContainers(touched);
    emit();
    if (pendingAdded.length > 0 || pendingDirty.size > 0) schedule();
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
      process(Number.POSITIVE_INFINITY);
    },
  };

  function fullScanAfterReset(): void {
    // WeakSet has no clear(): roots are re-observed by a fresh scan.
    for (const root of [doc, ...collectShadowRoots(doc, getShadowRoot)]) observedRoots.delete(root);
    fullScan();
  }
}
