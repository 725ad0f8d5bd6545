import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { builtInSignatures, globalExclusions } from '../lib/catalogue';
import { browserBoxWatch } from '../lib/content/detect/box-watch';
import { budgetedScheduler, createSignatureBudget } from '../lib/content/detect/budget';
import { compileCatalogue } from '../lib/content/detect/compile';
import { summariseFindings } from '../lib/content/detect/report';
import type { ShadowRootAccessor } from '../lib/content/detect/scan';
import { renderedWithLayout, styledRendered } from '../lib/content/detect/visibility';
import { browserScheduler, createWatcher } from '../lib/content/detect/watcher';
import { ownElements } from '../lib/content/own-elements';
import { OWN_HOST_NAMES } from '../lib/dom-vocabulary';
import { pushOf, requestBackground } from '../lib/message-client';
import type { ContentToBackground, DetectionConfig, FrameToolReport } from '../lib/messages';

/**
 * Runs in every frame of a watched clinical-system host. Glue only: the engine
 * (lib/content/detect) does the recognising; verdicts (flagged or mandated) are decided by
 * the background once the allow-list is known, never here.
 */
/**
 * The document a copy of the detector last ran in, kept on the content script's own
 * global (the page cannot see it): a copy injected again into the same document (a
 * settings change, a service worker restart) is not a new document, so it must not
 * reset the tab's dismissals or count its prompts again.
 */
const DOCUMENT_SEEN = Symbol.for('mo-prompt-advisor.detector-document');

/**
 * What the benchmark asks of the detector (over the DevTools protocol, in the extension's
 * own world, which the page cannot see): whether its first scan is still under way, so a
 * busy page's steady cost is measured apart from its first scan's.
 */
const DETECTOR_STATUS = Symbol.for('mo-prompt-advisor.detector-status');

/**
 * Work per slice of a scan before yielding to the page. A slice overruns its budget by
 * up to one check interval plus filing what it found, and no task of ours may take more
 * than 4 ms of the page's main thread (issue 20, `npm run bench`).
 */
const SLICE_MS = 1.5;

export default defineContentScript({
  // Registered at run time, in every build, for the watched hosts: all frames, and the
  // about:blank / srcdoc / blob: frames they create (background/host-registration).
  matches: ['http://127.0.0.1/*'],
  registration: 'runtime',
  allFrames: true,
  runAt: 'document_start',
  main(ctx) {
    // Registered at document_start so the extension's world exists before the page's
    // markup can clobber it (host-registration.ts); recognising waits for the DOM.
    if (document.readyState === 'loading') {
      ctx.addEventListener(document, 'DOMContentLoaded', () => run(ctx), { once: true });
    } else {
      run(ctx);
    }
  },
});

/** Recognises prompts in this frame and reports them, until the context is invalidated. */
function run(ctx: ContentScriptContext): void {
  // An orphaned copy (extension reloaded or updated) has no runtime left: stop, don't throw.
  const send = <M extends ContentToBackground>(message: M) =>
    requestBackground((m: M): Promise<unknown> => {
      if (ctx.isInvalid) return Promise.resolve(undefined);
      try {
        return browser.runtime.sendMessage(m);
      } catch {
        ctx.notifyInvalidated();
        return Promise.resolve(undefined);
      }
    }, message);
  const seen = globalThis as { [DOCUMENT_SEEN]?: Document; [DETECTOR_STATUS]?: () => unknown };
  const newDocument = seen[DOCUMENT_SEEN] !== document;
  seen[DOCUMENT_SEEN] = document;

  let lastReport: string | undefined;
  let lastTools: FrameToolReport[] = [];
  /** Practice signatures that overran their time budget here: paused, and reported with every report. */
  const paused = () => {
    const ids = budget.paused();
    return ids.length > 0 ? { pausedSignatureIds: ids.slice(0, 50) } : {};
  };
  const budget = createSignatureBudget({
    now: () => performance.now(),
    // Reported at once (with the current tools, unchanged), so the options page can say so.
    onPause: () =>
      void send({ type: 'frame/findings', tools: lastTools, ...paused() }).catch(() => undefined),
  });
  const watcher = createWatcher({
    document,
    catalogue: compileCatalogue(builtInSignatures, globalExclusions, document),
    getShadowRoot: shadowRootAccessor(),
    // The page has layout: a zero-sized prompt is not shown either.
    isRendered: renderedWithLayout,
    // The browser reports a flagged prompt's box appearing or going (no layout forced).
    boxWatch: browserBoxWatch,
    // What the box watch cannot see (visibility from a style sheet) asks no layout either.
    seemsRendered: styledRendered,
    // Plain timers, not WXT's ctx.setTimeout (a listener per call): batches run often on a
    // busy page, and stopping the watcher when the context is invalidated cancels them.
    // Each batch starts the practice signatures' time budgets afresh.
    scheduler: budgetedScheduler(browserScheduler, budget),
    sliceBudgetMs: SLICE_MS,
    onChange: (findings) => {
      const tools = summariseFindings(findings);
      const key = JSON.stringify(tools);
      if (key === lastReport) return;
      const first = lastReport === undefined && newDocument;
      lastReport = key;
      lastTools = tools;
      void send({ type: 'frame/findings', tools, first, ...paused() }).catch(() => undefined);
    },
    // A copy injected again into the same document reports once its first scan is done,
    // found or not: announcing "nothing" before it would take the note of a prompt still
    // on screen away until the scan found it again.
    onScanned: () => {
      if (lastReport !== undefined) return;
      lastReport = '[]';
      void send({ type: 'frame/findings', tools: [], ...paused() }).catch(() => undefined);
    },
  });

  const applyConfig = (config: DetectionConfig | undefined) => {
    const custom = config?.customSignatures ?? [];
    if (custom.length === 0 && !customApplied) return;
    customApplied = custom.length > 0;
    const catalogue = compileCatalogue([...builtInSignatures, ...custom], globalExclusions, document);
    // The full scan that follows is a batch of its own.
    budget.startBatch();
    watcher.setCatalogue(budget.apply(catalogue, new Set(custom.map((s) => s.id))));
  };
  let customApplied = false;

  let started = false;
  const status = () => ({ started, searching: watcher.searching() });
  seen[DETECTOR_STATUS] = status;

  // Start recognising in the next task, not inside the page's DOMContentLoaded (whose
  // listeners delay its load event); the background holds verdicts back until settings are loaded.
  const startTimer = setTimeout(() => {
    if (ctx.isInvalid) return;
    started = true;
    watcher.start();
  }, 0);
  if (newDocument) {
    // Nothing found yet: still announce the new document (it resets the tab's state).
    lastReport = '[]';
    void send({ type: 'frame/findings', tools: [], first: true }).catch(() => undefined);
  }
  void send({ type: 'frame/config' })
    .then(applyConfig)
    .catch(() => undefined);

  const onMessage = (message: unknown) => {
    const push = pushOf(message, 'frame/config');
    if (push) applyConfig(push.config);
    return undefined;
  };
  browser.runtime.onMessage.addListener(onMessage);

  // ctx is the extension's own lifecycle guard (platform/content/content-script-context.ts):
  // its location changes are noticed by the script itself, and its listeners never see
  // a page-made (untrusted) event, so a page cannot fake a route change or a pagehide.
  if (window === window.top) {
    // One route message in flight at a time, and at most one more queued: a page that
    // changes its URL thousands of times costs the background two messages, not thousands.
    let routeInFlight = false;
    let routeQueued = false;
    const reportRoute = (): void => {
      if (routeInFlight) {
        routeQueued = true;
        return;
      }
      routeInFlight = true;
      void send({ type: 'frame/route' })
        .catch(() => undefined)
        .finally(() => {
          routeInFlight = false;
          if (!routeQueued) return;
          routeQueued = false;
          reportRoute();
        });
    };
    ctx.addEventListener(window, 'wxt:locationchange', reportRoute);
  }
  // A frame going away withdraws its report, so the tab never lists a prompt that left.
  ctx.addEventListener(window, 'pagehide', () => {
    lastReport = '[]';
    lastTools = [];
    void send({ type: 'frame/findings', tools: [] }).catch(() => undefined);
  });
  // Restored from the back/forward cache: the page (and any prompt on it) is back.
  ctx.addEventListener(window, 'pageshow', (event) => {
    if (!(event as PageTransitionEvent).persisted) return;
    const tools = summariseFindings(watcher.findings());
    lastReport = JSON.stringify(tools);
    lastTools = tools;
    void send({ type: 'frame/findings', tools, ...paused() }).catch(() => undefined);
  });
  ctx.onInvalidated(() => {
    clearTimeout(startTimer);
    // An orphaned copy keeps nothing of the page reachable from the world's global.
    if (seen[DETECTOR_STATUS] === status) delete seen[DETECTOR_STATUS];
    watcher.stop();
    browser.runtime?.onMessage.removeListener(onMessage);
  });
}

/**
 * Our own UI (banner, picker) names the tools it reports: never read it as a prompt.
 * The picker's host is known by identity (its name may be random, see components/picker).
 */
const isOwnHost = (element: Element, tag: string) => OWN_HOST_NAMES.has(tag) || ownElements().has(element);

/** Closed shadow roots where the browser lets an extension see them. */
function shadowRootAccessor(): ShadowRootAccessor {
  const chromeDom = (
    globalThis as { chrome?: { dom?: { openOrClosedShadowRoot?: (e: Element) => ShadowRoot | null } } }
  ).chrome?.dom;
  if (chromeDom?.openOrClosedShadowRoot) {
    const open = chromeDom.openOrClosedShadowRoot.bind(chromeDom);
    // The extension API costs microseconds a call and a full scan asks every element: ask
    // it only for custom elements (where closed roots live); an open root is a property.
    return (element, tag) => {
      if (isOwnHost(element, tag)) return null;
      return element.shadowRoot ?? (tag.includes('-') ? (open(element as HTMLElement) ?? null) : null);
    };
  }
  return (element, tag) =>
    isOwnHost(element, tag)
      ? null
      : ((element as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot ??
        element.shadowRoot);
}
