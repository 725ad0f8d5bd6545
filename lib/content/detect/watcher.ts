import { browserScheduler, createBatchScheduler, type Scheduler } from './batch-scheduler';
import type { BoxWatch, BoxWatchFactory } from './box-watch';
import { createChangeQueue } from './change-queue';
import type { CompiledCatalogue, FrameContext } from './compile';
import { createEvidenceIndex } from './evidence-index';
import {
  containerOf,
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
 * Incremental detection for a live document. The MutationObserver callback only keeps
 * what changed (change-queue.ts); matching happens later, in batches (batch-scheduler.ts)
 * and time slices, on the changed subtrees alone, against the evidence already filed
 * (evidence-index.ts), so cost follows what changed, not page size.
 */

export { browserScheduler, type Scheduler };

export interface WatcherOptions {
  document: Document;
  catalogue: CompiledCatalogue;
  /** Called with the complete set of current findings whenever it changes. */
  onChange: (findings: Finding[]) => void;
  /** Called when a full scan of the document is done (its findings already passed to onChange). */
  onScanned?: () => void;
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
  /**
   * The same while a prompt is flagged: it has been reported, and the page's changes can
   * only bring a second prompt or take this one away (whose note must go within 2 s).
   * Halving the batches there halves their fixed cost while the banner is on screen.
   */
  foundBatchGapMs?: number;
  /** After this long without a batch, a change is processed at once (a prompt on a quiet page). */
  quietMs?: number;
  /** Work per slice before yielding the main thread. */
  sliceBudgetMs?: number;
  /**
   * Reports a flagged or held-back prompt's box appearing, disappearing or collapsing
   * (lib/content/detect/box-watch.ts in a browser). Without it, their visibility is re-checked
   * every VISIBILITY_POLL_MS; with it, only every VISIBILITY_FALLBACK_MS.
   */
  boxWatch?: BoxWatchFactory;
  /**
   * With a box watch: a check that forces no layout (styledRendered: markup and
   * checkVisibility), asked by the slow re-check before it re-scores a flagged prompt
   * (default: isRendered).
   */
  seemsRendered?: RenderedCheck;
}

export interface Watcher {
  start(): void;
  stop(): void;
  /** Swap the catalogue (custom signatures arrived) and rescan everything. */
  setCatalogue(catalogue: CompiledCatalogue): void;
  /** Current findings. */
  findings(): Finding[];
  /** Whether a search is under way (the first full scan, a large insert, a catalogue swap). */
  searching(): boolean;
  /** Processes everything pending now (tests, benchmark). */
  flush(): void;
}

/**
 * While a prompt is flagged or held back (found but not shown) and nothing reports its
 * box, its visibility is re-checked this often, for what no mutation announces (a style
 * sheet, a media query).
 */
export const VISIBILITY_POLL_MS = 500;

/**
 * With a box watch, the re-check left for what neither a mutation nor the box watch
 * reports: `visibility: hidden` (or an evidence element's display) set through a style
 * sheet or media query, which leaves the prompt's box in place. It asks the cheap check
 * (options.seemsRendered: style, no layout) first; what hides prompts in practice
 * (removal, a class or style on the prompt or around it, display:none by any means) is
 * followed at once, without it.
 */
export const VISIBILITY_FALLBACK_MS = 1000;

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
 * A title-only change is looked at after this long (coalescing a ticking title): a vendor
 * frame whose title starts or stops naming a tool is re-scored within it.
 */
export const TITLE_CHECK_MS = 500;

/**
 * An inserted subtree with more possible shadow hosts than this (a new view, not a row or
 * a prompt) is searched like a document: one query per evidence kind and one walk.
 */
const SMALL_SUBTREE = 256;

/** Work items between clock reads: reading the clock costs as much as a small item. */
const ITEMS_PER_CLOCK_READ = 8;

/** Re-checks for shadow roots attached after insertion (custom elements upgraded late). */
const LATE_SHADOW_CHECKS_MS = [50, 250, 1000, 3000];

function findingKey(f: Finding): string {
  return `${f.signatureId}\u0000${f.toolId}`;
}

export function createWatcher(options: WatcherOptions): Watcher {
  const doc = options.document;
  const getShadowRoot = options.getShadowRoot ?? openShadowRoot;
  const scheduler = options.scheduler ?? browserScheduler;
  const sliceBudget = options.sliceBudgetMs ?? 4;
  const isRendered = options.isRendered ?? styledRendered;
  const inFrame = frameContextOf(doc).isFrame === true;
  let catalogue = options.catalogue;

  const index = createEvidenceIndex(inFrame);
  const changes = createChangeQueue({
    watchRemovals: () => index.flagged.size > 0,
    // A busy page restyles its rows hundreds of times a second; re-checking the prompt's
    // visibility (a layout) for each would cost far more than the prompt. What a change
    // elsewhere does through a style sheet is reported by the box watch or the re-check.
    mayShowOrHide: (target) => index.enclosesFlaggedOrHeld(target),
  });
  const batches = createBatchScheduler(
    scheduler,
    {
      delayMs: options.batchDelayMs ?? 16,
      gapMs: options.batchGapMs ?? 50,
      foundGapMs: options.foundBatchGapMs ?? 100,
      found: () => index.flagged.size > 0,
      quietMs: options.quietMs ?? 100,
    },
    () => process(sliceBudget),
  );
  const schedule = (continuing = false) => {
    if (running) batches.request(continuing);
  };

  let batchCount = 0;
  let observedRoots = new WeakSet<Node>();
  const pendingHosts = new Set<Element>();
  /** The URL and title last read, and the page-level evidence last scored (see pageKeyOf). */
  let lastUrl = '';
  let lastTitle = '';
  let lastPageKey = '';
  let cancelHostCheck: (() => void) | undefined;
  let lastEmitted = '';
  let running = false;
  /** Searches under way (a full scan, a large insert), continued slice by slice. */
  let searches: RunningSearch[] = [];
  /** A catalogue swap is rescanning: the findings shown stay until it is done. */
  let replacing = false;
  let cancelPoll: (() => void) | undefined;
  /** The box watch while running, and the containers it watches (flagged or held back). */
  let boxes: BoxWatch | undefined;
  /** Watched elements, and whether their sizes are watched too. */
  const boxWatched = new Map<Element, boolean>();
  const onVisibilityChange = () => {
    if (!running) return;
    changes.visibilityChanged = true;
    schedule();
  };
  const onToggle = (event: Event) => {
    // A page can dispatch these itself: only the browser's own count.
    if (event.isTrusted) onVisibilityChange();
  };

  const observer = new MutationObserver((records) => {
    // A window title that ticks (a clock, an unread count) is looked at once a while, not
    // at every tick: it matters only if it changes what the page-level evidence shows.
    if (onlyRetitle(records)) {
      cancelTitleCheck ??= scheduler.later(checkTitle, TITLE_CHECK_MS);
      return;
    }
    changes.keepRecords(records);
    schedule();
  });

  let cancelTitleCheck: (() => void) | undefined;
  function checkTitle(): void {
    cancelTitleCheck = undefined;
    if (running && pageKeyOf(frameContextOf(doc)) !== lastPageKey) schedule();
  }

  /**
   * What page-level evidence says: the frame's URL (a route, exclusions by URL) and which
   * page tests pass (a brand in the window title). A new title that leaves these as they
   * were changes no verdict.
   */
  function pageKeyOf(ctx: FrameContext): string {
    let key = ctx.pageUrl;
    for (const compiled of catalogue.signatures)
      for (const page of compiled.pageEvidence) key += page.test(ctx) ? '1' : '0';
    return key;
  }

  /**
   * Whether page-level evidence differs from what was last scored, and notes it as scored.
   * The page tests run only when the URL or title changed, not at every batch.
   */
  function pageEvidenceChanged(ctx: FrameContext): boolean {
    if (ctx.pageUrl === lastUrl && ctx.documentTitle === lastTitle) return false;
    lastUrl = ctx.pageUrl;
    lastTitle = ctx.documentTitle;
    const key = pageKeyOf(ctx);
    if (key === lastPageKey) return false;
    lastPageKey = key;
    return true;
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

  function emit(): void {
    watchBoxes();
    schedulePoll();
    if (replacing) return;
    // The common case on a busy page: nothing found before, nothing now.
    if (index.flagged.size === 0 && lastEmitted === '') return;
    const all = index.flagged.size === 0 ? [] : index.findings();
    const key = all.map(findingKey).sort().join('|');
    if (key === lastEmitted) return;
    lastEmitted = key;
    options.onChange(all);
  }

  /** The frame's root element: page-level evidence is grouped there. */
  const pageRoot = () => doc.body ?? doc.documentElement;

  /**
   * Starts a full scan of the document, run in the same time slices as any change (a
   * large page is not searched in one long task). `replace`: a catalogue swap, whose
   * findings replace the shown ones only once complete.
   */
  function beginFullScan(replace: boolean): void {
    index.clear();
    const ctx = frameContextOf(doc);
    lastUrl = ctx.pageUrl;
    lastTitle = ctx.documentTitle;
    lastPageKey = pageKeyOf(ctx);
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
      index.fileHits(search(shadow), touched);
    }
  }

  /** Re-scores containers from their evidence and replaces their findings. */
  function rescoreContainers(containers: Set<Element>): void {
    const ctx = frameContextOf(doc);
    const root = pageRoot();
    for (const container of containers) {
      index.flagged.delete(container);
      index.held.delete(container);
      if (!container.isConnected) {
        index.evidence.delete(container);
        continue;
      }
      let hits: RawHit[];
      if (index.searchAfresh.has(container) || (!index.evidence.has(container) && container !== root)) {
        index.searchAfresh.delete(container);
        hits = search(container);
        for (const hit of hits) index.noteCarrier(hit.element);
      } else {
        hits = index.evidenceStillIn(container);
      }
      index.evidence.set(container, hits);
      // Hits inside the scope may group into a nested container; keep only this one's.
      const scored = scoreInDetail(catalogue, hits, ctx, root, isRendered);
      for (const finding of scored.findings) {
        if (finding.container === container || !index.flagged.has(finding.container))
          index.addFinding(finding);
      }
      for (const held of scored.pending) if (!index.flagged.has(held)) index.held.add(held);
    }
  }

  /**
   * While something is flagged or held back, re-checks it now and then: what hides or
   * shows it may be a style sheet or a media query, which no mutation announces.
   */
  const pollMs = options.boxWatch ? VISIBILITY_FALLBACK_MS : VISIBILITY_POLL_MS;
  function schedulePoll(): void {
    if (cancelPoll || !running || (index.flagged.size === 0 && index.held.size === 0)) return;
    cancelPoll = scheduler.later(() => {
      cancelPoll = undefined;
      if (!running) return;
      // What is held back is re-scored: it may have come to show.
      if (!boxes || index.held.size > 0) {
        onVisibilityChange();
        return;
      }
      // With a box watch, a prompt still shown is re-scored only when the cheap check
      // says something went. It reads style: asked after the page's own layout, it finds
      // it up to date instead of styling a busy page's pending changes itself.
      const recheck = () => {
        cancelPoll = undefined;
        if (!running) return;
        if (flaggedSeemHidden()) onVisibilityChange();
        else schedulePoll();
      };
      if (scheduler.afterLayout) cancelPoll = scheduler.afterLayout(recheck);
      else recheck();
    }, pollMs);
  }

  /**
   * Watches the boxes of what is flagged or held back, and of nothing else: prompts and
   * held-back containers with their sizes, the containers around flagged prompts without.
   */
  function watchBoxes(): void {
    if (!boxes) return;
    const wanted = new Map<Element, boolean>();
    for (const container of index.held) wanted.set(container, true);
    for (const [container, findings] of index.flagged) {
      if (!wanted.has(container)) wanted.set(container, false);
      for (const finding of findings) wanted.set(finding.element, true);
    }
    for (const [element, size] of boxWatched) {
      if (wanted.get(element) === size) continue;
      boxes.unwatch(element);
      boxWatched.delete(element);
    }
    for (const [element, size] of wanted) {
      if (boxWatched.has(element)) continue;
      boxes.watch(element, size);
      boxWatched.set(element, size);
    }
  }

  /**
   * The slow re-check's first question, asked without a layout: does the cheap check
   * (options.seemsRendered) now say a flagged prompt, its container or a piece of its
   * evidence is hidden? Only then is everything re-scored.
   */
  function flaggedSeemHidden(): boolean {
    const seemsRendered = options.seemsRendered ?? isRendered;
    for (const [container, findings] of index.flagged) {
      if (!seemsRendered(container)) return true;
      for (const finding of findings) if (!seemsRendered(finding.element)) return true;
      for (const hit of index.evidence.get(container) ?? []) if (!seemsRendered(hit.element)) return true;
    }
    return false;
  }

  /** One native test first: most attribute changes (a row's class) touch no candidate at all. */
  function isCandidate(element: Element): boolean {
    const { candidateSelector } = catalogue;
    return candidateSelector !== '' && element.matches(candidateSelector);
  }

  /** A text or attribute change: does it make or take away evidence? */
  function inspectChanged(element: Element, owner: Element | null, touched: Set<Element>): void {
    if (owner && index.reread(owner, elementHits(catalogue, owner, []), touched)) return;
    if ((index.flagged.size > 0 || index.held.size > 0) && index.insideFlaggedOrHeld(element)) {
      // Any change in a prompt still shown may bring an exclusion's words, and one held
      // back an MO message: score it again. containerOf tests every ancestor against the
      // container selectors: only for a change inside one (a busy table's rows are not).
      const { container } = containerOf(element, inFrame);
      if (index.flagged.has(container) || index.held.has(container)) touched.add(container);
    }
  }

  function process(budgetMs: number): void {
    const deadline = batches.begin() + budgetMs;
    changes.readRecords();
    const touched = new Set<Element>();
    const ctx = frameContextOf(doc);
    if (pageEvidenceChanged(ctx)) {
      // In-app route change or a title that shows a brand or stops showing it: page-level
      // evidence, and exclusions by URL, differ. What the route changed in the page arrives
      // as mutations, handled below like any other; here only verdicts are re-scored, from
      // evidence already filed.
      const root = pageRoot();
      if (root) touched.add(root);
      index.touchFlaggedAndHeld(touched);
      if (inFrame) for (const container of index.evidence.keys()) touched.add(container);
    }

    const hits: RawHit[] = [];
    /** This batch finished a full scan. */
    let scanned = false;
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
    while (changes.added.length > 0 && !outOfTime) {
      const added = changes.added.pop() as Element;
      if (added.isConnected) for (const hit of search(added, true)) hits.push(hit);
      spent();
    }
    // Sets are iterated in place (deleting as we go): no copy per item.
    for (const element of outOfTime ? [] : changes.text) {
      changes.text.delete(element);
      // Text is evidence only inside a heading, caption or control.
      if (element.isConnected) inspectChanged(element, textEvidenceOwner(catalogue, element), touched);
      if (spent()) break;
    }
    for (const element of outOfTime ? [] : changes.attributes) {
      changes.attributes.delete(element);
      // An element that lost the attribute its evidence was in is re-read too.
      if (element.isConnected)
        inspectChanged(element, index.isCarrier(element) || isCandidate(element) ? element : null, touched);
      if (spent()) break;
    }
    for (const element of outOfTime ? [] : changes.containers) {
      changes.containers.delete(element);
      if (element.isConnected) index.regroup(element, touched);
      if (spent()) break;
    }
    // A search under way (the first scan of a large page runs for seconds on a busy one)
    // takes what the changes left of the slice: a prompt that appears meanwhile is not
    // made to wait for it.
    while (searches.length > 0 && !outOfTime) {
      const run = searches[0] as RunningSearch;
      run.job.step(sliceSpent);
      takeFound(run, hits);
      if (!run.job.done()) break;
      searches.shift();
      if (run.full) {
        scanned = true;
        // Page-level evidence (a frame's title or URL) is scored at the root, once.
        const root = pageRoot();
        if (root) touched.add(root);
        if (replacing) {
          replacing = false;
          for (const container of index.flagged.keys()) touched.add(container);
        }
      }
    }
    index.fileHits(hits, touched);

    // Evidence of removed elements is dropped when its container is next scored; now and
    // then, also for containers no change touches, so they are not kept alive.
    if (++batchCount % 256 === 0 && index.evidence.size > 0) index.forgetRemoved();
    if (changes.removals) {
      changes.removals = false;
      for (const [container, findings] of index.flagged) {
        if (!container.isConnected || findings.some((f) => !f.element.isConnected)) touched.add(container);
      }
    }
    if (pendingHosts.size > 0 && pendingHosts.size <= 200) checkPendingHosts(touched);
    if (changes.visibilityChanged) {
      // Something was shown or hidden: re-check only what is flagged or held back.
      changes.visibilityChanged = false;
      index.touchFlaggedAndHeld(touched);
    }
    if (touched.size > 0) rescoreContainers(touched);
    emit();
    if (scanned) options.onScanned?.();
    if (searches.length > 0 || changes.hasPending()) schedule(true);
  }

  function resetObserved(): void {
    observedRoots = new WeakSet<Node>();
    index.forgetCarriers();
  }

  return {
    start() {
      if (running) return;
      running = true;
      boxes = options.boxWatch?.(onVisibilityChange);
      beginFullScan(false);
      // The first slice in a task of its own: this one has paid for setting up (and, in
      // the content script, for compiling the engine's code on first use).
      schedule(true);
    },
    stop() {
      running = false;
      observer.disconnect();
      batches.cancel();
      cancelHostCheck?.();
      cancelPoll?.();
      cancelTitleCheck?.();
      cancelHostCheck = undefined;
      cancelPoll = undefined;
      cancelTitleCheck = undefined;
      boxes?.disconnect();
      boxes = undefined;
      boxWatched.clear();
      changes.clear(); // the records hold the page's nodes
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
    findings: () => index.findings(),
    searching: () => searches.length > 0,
    flush() {
      batches.cancel();
      // Changes the observer has queued but not yet delivered count too.
      const queued = observer.takeRecords();
      if (queued.length > 0) changes.keepRecords(queued);
      process(Number.POSITIVE_INFINITY);
    },
  };
}

/** Records that only change the window title's text (never evidence inside the page). */
function onlyRetitle(records: MutationRecord[]): boolean {
  for (let r = 0; r < records.length; r++) {
    const target = (records[r] as MutationRecord).target;
    // An HTML <title> reports its name upper-case; an SVG <title> (a tooltip) does not.
    const element = target.nodeType === 1 ? target : target.parentNode;
    if (element?.nodeName !== 'TITLE') return false;
  }
  return true;
}
