import { PROMPT_CONTAINER_ATTRIBUTES, PROMPT_CONTAINER_SELECTOR } from '../dom-vocabulary';
import type { BoxWatch, BoxWatchFactory } from './box-watch';
import type { CompiledCatalogue } from './compile';
import {
  containerOf,
  containsAcrossShadow,
  elementHits,
  type Finding,
  frameContextOf,
  openShadowRoot,
  type RawHit,
  type SearchJob,
  type ShadowRootAccessor,
  scoreInDetail,
  searchSmallTree,
  startSearch,
  textEvidenceOwner,
} from './scan';
import { type RenderedCheck, styledRendered } from './visibility';

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
  /** Whether a clinician can see an element (default: markup and checkVisibility, no sizes). */
  isRendered?: RenderedCheck;
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
  /**
   * Reports a flagged or held-back prompt's box appearing, disappearing or collapsing
   * (lib/detect/box-watch.ts in a browser). Without it, their visibility is re-checked
   * every VISIBILITY_POLL_MS; with it, only every VISIBILITY_FALLBACK_MS.
   */
  boxWatch?: BoxWatchFactory;
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

/**
 * Attributes whose change can turn an element into (or out of) a prompt-like container; a
 * dialog opened or closed is searched afresh too.
 */
const CONTAINER_ATTRIBUTES = new Set([...PROMPT_CONTAINER_ATTRIBUTES, 'open']);

/** Attributes watched only because they show or hide things (never evidence). */
const VISIBILITY_ONLY = new Set(['style', 'hidden', 'inert', 'popover']);

/**
 * While a prompt is flagged or held back (found but not shown) and nothing reports its
 * box, its visibility is re-checked this often, for what no mutation announces (a style
 * sheet, a media query).
 */
export const VISIBILITY_POLL_MS = 500;

/**
 * With a box watch, the re-check left for what neither a mutation nor the box watch
 * reports: `visibility: hidden` (or an evidence element's display) set through a style
 * sheet or media query, which leaves the prompt's box in place. Each re-check forces a
 * layout on a busy page, so it is rare; what hides prompts in practice (removal, a class
 * or style on the prompt or around it, display:none by any means) is followed at once.
 */
export const VISIBILITY_FALLBACK_MS = 2000;

/** Events that open or close a dialog or popover without a watched attribute changing. */
const TOGGLE_EVENTS = ['toggle', 'close'];

/** A search that runs over several slices, and how much of what it found is filed. */
interface RunningSearch {
  job: SearchJob;
  hits: number;
  shadows: number;
  hosts: number;
  /** The document's full scan (its end may end a catalogue swap). */
  full: boolean;
}

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
  const isRendered = options.isRendered ?? styledRendered;
  const inFrame = frameContextOf(doc).isFrame === true;
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
  /** Searches under way (a full scan, a large insert), continued slice by slice. */
  let searches: RunningSearch[] = [];
  /** A catalogue swap is rescanning: the findings shown stay until it is done. */
  let replacing = false;
  /**
   * Containers a visibility or text change could flag: evidence enough but not shown
   * (a closed dialog, a hidden panel), or a tool's own evidence short of its threshold.
   */
  const watched = new Set<Element>();
  let visibilityChanged = false;
  let cancelPoll: (() => void) | undefined;
  /** The box watch while running, and the containers it watches (flagged or held back). */
  let boxes: BoxWatch | undefined;
  const boxWatched = new Set<Element>();
  const onBoxChange = () => {
    if (!running) return;
    visibilityChanged = true;
    schedule();
  };
  const onToggle = (event: Event) => {
    // A page can dispatch these itself: only the browser's own count.
    if (!running || !event.isTrusted) return;
    visibilityChanged = true;
    schedule();
  };

  /**
   * Whether a style, class or hidden change on `target` can show or hide a container
   * that is flagged or held back: it is the container or encloses it (across shadow
   * boundaries). A busy page restyles its rows hundreds of times a second; re-checking
   * the prompt's visibility (a layout) for each would cost far more than the prompt.
   * What a change elsewhere does through a style sheet (a sibling selector) is caught by
   * the VISIBILITY_POLL_MS re-check.
   */
  function mayShowOrHide(target: Element): boolean {
    const encloses = (container: Element) => {
      for (let n: Element | null = container; n; ) {
        if (n === target || target.contains(n)) return true;
        const root = n.getRootNode();
        n = root instanceof ShadowRoot ? root.host : null;
      }
      return false;
    };
    for (const container of byContainer.keys()) if (encloses(container)) return true;
    for (const container of watched) if (encloses(container)) return true;
    return false;
  }

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
        const name = record.attributeName ?? '';
        const target = record.target as Element;
        if (VISIBILITY_ONLY.has(name)) {
          if (!visibilityChanged && mayShowOrHide(target)) visibilityChanged = true;
          continue;
        }
        if (name === 'open' || (name === 'class' && !visibilityChanged && mayShowOrHide(target)))
          visibilityChanged = true;
        pendingAttributes.add(target);
        if (CONTAINER_ATTRIBUTES.has(name)) pendingContainers.add(target);
      }
    }
  }

  function observe(root: Document | ShadowRoot): void {
    if (observedRoots.has(root)) return;
    observedRoots.add(root);
    // Not composed: a dialog's or popover's toggle inside a shadow root stays there.
    for (const type of TOGGLE_EVENTS) root.addEventListener(type, onToggle, true);
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
    watchBoxes();
    schedulePoll();
    if (replacing) return;
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

  /** The frame's root element: page-level evidence is grouped there. */
  const pageRoot = () => doc.body ?? doc.documentElement;

  /**
   * Starts a full scan of the document, run in the same time slices as any change (a
   * large page is not searched in one long task). `replace`: a catalogue swap, whose
   * findings replace the shown ones only once complete.
   */
  function beginFullScan(replace: boolean): void {
    byContainer.clear();
    hitsIn.clear();
    watched.clear();
    searchAfresh.clear();
    const ctx = frameContextOf(doc);
    lastUrl = ctx.pageUrl;
    lastTitle = ctx.documentTitle;
    observe(doc);
    replacing = replace;
    searches = [
      { job: startSearch(catalogue, doc, getShadowRoot), hits: 0, shadows: 0, hosts: 0, full: true },
    ];
  }

  /** Files what a search found since last asked; watches its shadow roots and late hosts. */
  function takeFound(run: RunningSearch, hits: RawHit[]): void {
    const { found } = run.job;
    for (; run.hits < found.hits.length; run.hits++) hits.push(found.hits[run.hits] as RawHit);
    for (; run.shadows < found.shadowRoots.length; run.shadows++)
      observe(found.shadowRoots[run.shadows] as ShadowRoot);
    if (run.hosts < found.undefinedHosts.length) {
      for (; run.hosts < found.undefinedHosts.length; run.hosts++)
        pendingHosts.add(found.undefinedHosts[run.hosts] as Element);
      scheduleHostChecks(0);
    }
  }

  /**
   * Searches a tree and its shadow roots at once, or, when it is large (a new view, not
   * a row or a prompt), queues it to be searched slice by slice.
   */
  function search(root: ShadowRoot | Element, small = false): RawHit[] {
    const found =
      small && root instanceof Element
        ? searchSmallTree(catalogue, root, getShadowRoot, SMALL_SUBTREE)
        : undefined;
    const hits: RawHit[] = [];
    const run: RunningSearch = {
      job: found
        ? { found, done: () => true, step: () => undefined }
        : startSearch(catalogue, root, getShadowRoot),
      hits: 0,
      shadows: 0,
      hosts: 0,
      full: false,
    };
    if (found || !small) {
      run.job.step(() => false);
      takeFound(run, hits);
    } else searches.push(run);
    return hits;
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
    // An element often carries several hits (a button for two signatures): one lookup.
    let lastElement: Element | undefined;
    let container: Element | undefined;
    for (const hit of hits) {
      evidenceElements.add(hit.element);
      if (hit.element !== lastElement) {
        lastElement = hit.element;
        container = containerOf(hit.element, inFrame).container;
      }
      if (!container) continue;
      const list = hitsIn.get(container);
      if (list) list.push(hit);
      else hitsIn.set(container, [hit]);
      touched.add(container);
    }
  }

  /** Re-scores containers from their evidence and replaces their findings. */
  function rescoreContainers(containers: Set<Element>): void {
    const ctx = frameContextOf(doc);
    const root = pageRoot();
    for (const container of containers) {
      byContainer.delete(container);
      watched.delete(container);
      if (!container.isConnected) {
        hitsIn.delete(container);
        continue;
      }
      let hits: RawHit[];
      if (searchAfresh.has(container) || (!hitsIn.has(container) && container !== root)) {
        searchAfresh.delete(container);
        hits = search(container);
        for (const hit of hits) evidenceElements.add(hit.element);
      } else {
        // What was removed, or moved out, since it was found no longer counts; an element
        // moved within the container was found again, and counts once.
        const seen = new Map<Element, Set<number>>();
        const gone = new Set<Element>();
        hits = (hitsIn.get(container) ?? []).filter((hit) => {
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
      }
      hitsIn.set(container, hits);
      // Hits inside the scope may group into a nested container; keep only this one's.
      const scored = scoreInDetail(catalogue, hits, ctx, root, isRendered);
      for (const finding of scored.findings) {
        if (finding.container === container || !byContainer.has(finding.container)) addFinding(finding);
      }
      for (const held of scored.pending) if (!byContainer.has(held)) watched.add(held);
    }
  }

  /**
   * While something is flagged or held back, re-checks it now and then: what hides or
   * shows it may be a style sheet or a media query, which no mutation announces.
   */
  const pollMs = options.boxWatch ? VISIBILITY_FALLBACK_MS : VISIBILITY_POLL_MS;
  function schedulePoll(): void {
    if (cancelPoll || !running || (byContainer.size === 0 && watched.size === 0)) return;
    cancelPoll = scheduler.later(() => {
      cancelPoll = undefined;
      visibilityChanged = true;
      schedule();
    }, pollMs);
  }

  /** Watches the boxes of what is flagged or held back, and of nothing else. */
  function watchBoxes(): void {
    if (!boxes) return;
    for (const element of boxWatched) {
      if (byContainer.has(element) || watched.has(element)) continue;
      boxes.unwatch(element);
      boxWatched.delete(element);
    }
    for (const element of byContainer.keys()) {
      if (boxWatched.has(element)) continue;
      boxes.watch(element);
      boxWatched.add(element);
    }
    for (const element of watched) {
      if (boxWatched.has(element)) continue;
      boxes.watch(element);
      boxWatched.add(element);
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
      searches.length > 0 ||
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
    const outer = parent ? containerOf(parent, inFrame).container : undefined;
    if (element.matches(PROMPT_CONTAINER_SELECTOR)) {
      searchAfresh.add(element);
      touched.add(element);
      if (outer && byContainer.has(outer)) touched.add(outer);
    } else if (hitsIn.has(element) || byContainer.has(element)) {
      const moved = hitsIn.get(element) ?? [];
      hitsIn.delete(element);
      byContainer.delete(element);
      const { container } = containerOf(element, inFrame);
      hitsIn.set(container, [...(hitsIn.get(container) ?? []), ...moved]);
      touched.add(container);
    }
  }

  /** One native test first: most attribute changes (a row's class) touch no candidate at all. */
  function isCandidate(element: Element): boolean {
    const { candidateSelector } = catalogue;
    return candidateSelector !== '' && element.matches(candidateSelector);
  }

  /** Whether a flagged or held-back container holds `element` (across shadow roots). */
  function insideFlaggedOrHeld(element: Element): boolean {
    for (const container of byContainer.keys()) if (containsAcrossShadow(container, element)) return true;
    for (const container of watched) if (containsAcrossShadow(container, element)) return true;
    return false;
  }

  /** A text or attribute change: does it make or take away evidence? */
  function inspectChanged(element: Element, owner: Element | null, touched: Set<Element>): void {
    if (owner) {
      const fresh = elementHits(catalogue, owner, []);
      const { container } = containerOf(owner, inFrame);
      const cached = hitsIn.get(container);
      if (fresh.length > 0) evidenceElements.add(owner);
      if (fresh.length > 0 || cached?.some((hit) => hit.element === owner)) {
        hitsIn.set(container, [...(cached ?? []).filter((hit) => hit.element !== owner), ...fresh]);
        touched.add(container);
        return;
      }
    }
    if ((byContainer.size > 0 || watched.size > 0) && insideFlaggedOrHeld(element)) {
      // Any change in a prompt still shown may bring an exclusion's words, and one held
      // back an MO message: score it again. containerOf tests every ancestor against the
      // container selectors: only for a change inside one (a busy table's rows are not).
      const { container } = containerOf(element, inFrame);
      if (byContainer.has(container) || watched.has(container)) touched.add(container);
    }
  }

  function process(budgetMs: number): void {
    lastBatchAt = scheduler.now();
    const deadline = lastBatchAt + budgetMs;
    readPendingRecords();
    const touched = new Set<Element>();
    const ctx = frameContextOf(doc);
    if (ctx.pageUrl !== lastUrl || ctx.documentTitle !== lastTitle) {
      // In-app route change or a new window title: page-level evidence, and exclusions by
      // URL, may differ. What the route changed in the page arrives as mutations, handled
      // below like any other; here only verdicts are re-scored, from evidence already filed.
      lastUrl = ctx.pageUrl;
      lastTitle = ctx.documentTitle;
      const root = pageRoot();
      if (root) touched.add(root);
      for (const container of byContainer.keys()) touched.add(container);
      for (const container of watched) touched.add(container);
      if (inFrame) for (const container of hitsIn.keys()) touched.add(container);
    }

    const hits: RawHit[] = [];
    let items = 0;
    let outOfTime = false;
    const spent = () => {
      outOfTime = ++items % ITEMS_PER_CLOCK_READ === 0 && scheduler.now() > deadline;
      return outOfTime;
    };
    const sliceSpent = () => {
      outOfTime = scheduler.now() > deadline;
      return outOfTime;
    };
    while (searches.length > 0 && !outOfTime) {
      const run = searches[0] as RunningSearch;
      run.job.step(sliceSpent);
      takeFound(run, hits);
      if (!run.job.done()) break;
      searches.shift();
      if (run.full) {
        // Page-level evidence (a frame's title or URL) is scored at the root, once.
        const root = pageRoot();
        if (root) touched.add(root);
        if (replacing) {
          replacing = false;
          for (const container of byContainer.keys()) touched.add(container);
        }
      }
    }
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
    if (visibilityChanged) {
      // Something was shown or hidden: re-check only what is flagged or held back.
      visibilityChanged = false;
      for (const container of byContainer.keys()) touched.add(container);
      for (const container of watched) touched.add(container);
    }
    if (touched.size > 0) rescoreContainers(touched);
    emit();
    if (hasPending()) schedule(true);
  }

  return {
    start() {
      if (running) return;
      running = true;
      boxes = options.boxWatch?.(onBoxChange);
      beginFullScan(false);
      process(sliceBudget);
    },
    stop() {
      running = false;
      observer.disconnect();
      cancelFlush?.();
      cancelHostCheck?.();
      cancelPoll?.();
      cancelFlush = undefined;
      cancelHostCheck = undefined;
      cancelPoll = undefined;
      boxes?.disconnect();
      boxes = undefined;
      boxWatched.clear();
      clearPending(); // the records hold the page's nodes
      searches = [];
      pendingHosts.clear();
      // A later start() observes every root afresh: nothing is observed any more.
      resetObserved();
    },
    setCatalogue(next) {
      catalogue = next;
      if (!running) return;
      // The attribute filter depends on the catalogue: re-observe with the new one.
      observer.disconnect();
      resetObserved();
      beginFullScan(true);
      process(sliceBudget);
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

  function resetObserved(): void {
    observedRoots = new WeakSet<Node>();
    evidenceElements = new WeakSet<Element>();
  }
}
