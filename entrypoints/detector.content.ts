import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { builtInSignatures, globalExclusions } from '../lib/catalogue';
import type { Signature } from '../lib/catalogue/schema';
import { budgetedScheduler, createSignatureBudget } from '../lib/detect/budget';
import { compileCatalogue } from '../lib/detect/compile';
import { summariseFindings } from '../lib/detect/report';
import type { ShadowRootAccessor } from '../lib/detect/scan';
import { renderedWithLayout } from '../lib/detect/visibility';
import { browserScheduler, createWatcher } from '../lib/detect/watcher';
import type {
  BackgroundToContent,
  ContentToBackground,
  DetectionConfig,
  FrameToolReport,
} from '../lib/messages';

/**
 * Runs in every frame of a watched clinical-system host. Glue only: the engine
 * (lib/detect) does the recognising; verdicts (flagged or mandated) are decided by
 * the background once the allow-list is known, never here.
 */
export default defineContentScript({
  // Registered at run time for the practice's hosts (see background/host-registration);
  // the e2e build also lists loopback hosts in its manifest.
  matches: ['http://127.0.0.1/*'],
  registration: 'runtime',
  allFrames: true,
  runAt: 'document_end',
  main(ctx) {
    const send = (message: ContentToBackground) => browser.runtime.sendMessage(message);

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
      // Plain timers, not WXT's ctx.setTimeout (a listener per call): batches run often on a
      // busy page, and stopping the watcher when the context is invalidated cancels them.
      // Each batch starts the practice signatures' time budgets afresh.
      scheduler: budgetedScheduler(browserScheduler, budget),
      onChange: (findings) => {
        const tools = summariseFindings(findings);
        const key = JSON.stringify(tools);
        if (key === lastReport) return;
        const first = lastReport === undefined;
        lastReport = key;
        lastTools = tools;
        void send({ type: 'frame/findings', tools, first, ...paused() }).catch(() => undefined);
      },
    });

    const applyConfig = (config: DetectionConfig | undefined) => {
      const custom = (config?.customSignatures ?? []) as Signature[];
      if (custom.length === 0 && !customApplied) return;
      customApplied = custom.length > 0;
      const catalogue = compileCatalogue([...builtInSignatures, ...custom], globalExclusions, document);
      // The full scan that follows is a batch of its own.
      budget.startBatch();
      watcher.setCatalogue(budget.apply(catalogue, new Set(custom.map((s) => s.id))));
    };
    let customApplied = false;

    // Start recognising at once; the background holds verdicts back until settings are loaded.
    watcher.start();
    if (lastReport === undefined) {
      // Nothing found yet: still announce the new document (it resets the tab's state).
      lastReport = '[]';
      void send({ type: 'frame/findings', tools: [], first: true }).catch(() => undefined);
    }
    void send({ type: 'frame/config' })
      .then((config) => applyConfig(config as DetectionConfig | undefined))
      .catch(() => undefined);

    const onMessage = (message: unknown) => {
      const m = message as BackgroundToContent;
      if (m?.type === 'frame/config') applyConfig(m.config);
      return undefined;
    };
    browser.runtime.onMessage.addListener(onMessage);

    if (window === window.top) {
      ctx.addEventListener(window, 'wxt:locationchange', () => {
        void send({ type: 'frame/route' }).catch(() => undefined);
      });
    }
    // A frame going away withdraws its report, so the tab never lists a prompt that left.
    ctx.addEventListener(window, 'pagehide', () => {
      lastReport = '[]';
      lastTools = [];
      void send({ type: 'frame/findings', tools: [] }).catch(() => undefined);
    });
    ctx.onInvalidated(() => {
      watcher.stop();
      browser.runtime?.onMessage.removeListener(onMessage);
    });
  },
});

/** Our own UI (banner, picker) names the tools it reports: never read it as a prompt. */
const OWN_HOSTS = new Set(['mo-advisor-banner', 'mo-prompt-picker']);

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
      if (OWN_HOSTS.has(tag)) return null;
      return element.shadowRoot ?? (tag.includes('-') ? (open(element as HTMLElement) ?? null) : null);
    };
  }
  return (element, tag) =>
    OWN_HOSTS.has(tag)
      ? null
      : ((element as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot ??
        element.shadowRoot);
}
