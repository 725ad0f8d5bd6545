// @ts-check
/**
 * Chrome DevTools Protocol helpers: main-thread metrics, a trace of main-thread script
 * calls with their CPU time, a sampling CPU profile attributed by script origin, and
 * heap readings after a forced GC.
 */

/** @typedef {import('playwright-core').CDPSession} CDPSession */

/**
 * Performance.getMetrics as a name → value map (Performance.enable must have run).
 * Durations are in seconds, Timestamp in seconds, heap sizes in bytes.
 * @param {CDPSession} cdp
 * @returns {Promise<Record<string, number>>}
 */
export async function getMetrics(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/**
 * Main-thread time over a window, from two metric readings, as % of the window.
 * @param {Record<string, number>} before
 * @param {Record<string, number>} after
 */
export function mainThreadShare(before, after) {
  const window = (after.Timestamp ?? 0) - (before.Timestamp ?? 0);
  const pct = (/** @type {string} */ name) => (100 * ((after[name] ?? 0) - (before[name] ?? 0))) / window;
  return {
    windowMs: window * 1000,
    /** Wall time of main-thread tasks: inflated when other processes take the CPU. */
    taskPct: pct('TaskDuration'),
    /** CPU time of the renderer's main thread: the figure that holds up on a loaded machine. */
    threadPct: pct('ThreadTime'),
    processPct: pct('ProcessTime'),
    scriptPct: pct('ScriptDuration'),
    layoutPct: pct('LayoutDuration') + pct('RecalcStyleDuration'),
  };
}

/**
 * @param {CDPSession} cdp
 * @param {number} intervalUs sampling interval
 */
export async function startProfile(cdp, intervalUs) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: intervalUs });
  await cdp.send('Profiler.start');
}

/**
 * Stops the profile and returns milliseconds of sampled main-thread time per category.
 * A sample belongs to the nearest frame on its stack that has a script URL, so native
 * DOM calls (querySelectorAll…) count for the script that made them.
 * @param {CDPSession} cdp
 * @param {(url: string) => string} classifyUrl category for a script URL
 * @returns {Promise<Record<string, number>>}
 */
export async function stopProfile(cdp, classifyUrl) {
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.send('Profiler.disable');
  /** @type {Map<number, string>} */
  const category = new Map();
  /** @type {Map<number, number>} */
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  /** @param {number} id @returns {string} */
  const categoryOf = (id) => {
    const known = category.get(id);
    if (known) return known;
    const node = byId.get(id);
    let result = 'other';
    if (node) {
      const { url, functionName } = node.callFrame;
      if (url) result = classifyUrl(url);
      else if (functionName === '(idle)') result = 'idle';
      else if (functionName === '(garbage collector)') result = 'gc';
      else if (functionName === '(program)') result = 'program';
      else if (parent.has(id)) result = categoryOf(/** @type {number} */ (parent.get(id)));
    }
    category.set(id, result);
    return result;
  };
  /** @type {Record<string, number>} */
  const totals = {};
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const key = categoryOf(/** @type {number} */ (samples[i]));
    totals[key] = (totals[key] ?? 0) + (deltas[i + 1] ?? 0) / 1000;
  }
  return totals;
}

/**
 * Starts tracing `categories`; `stop()` returns the events on the renderer main threads,
 * in time order, and how many main threads the trace saw.
 * @param {CDPSession} cdp
 * @param {string[]} categories
 */
export async function startMainThreadTrace(cdp, categories = ['devtools.timeline']) {
  /** @type {any[]} */
  const events = [];
  const onData = (/** @type {{ value: any[] }} */ e) => {
    for (const event of e.value) events.push(event);
  };
  cdp.on('Tracing.dataCollected', onData);
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: categories, excludedCategories: ['*'] },
    transferMode: 'ReportEvents',
  });
  return {
    /** @returns {Promise<{ events: any[], mainThreads: number }>} */
    async stop() {
      const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await done;
      cdp.off('Tracing.dataCollected', onData);
      const mainThreads = new Set(
        events
          .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
          .map((e) => `${e.pid}:${e.tid}`),
      );
      return {
        events: events
          .filter((e) => e.ph !== 'M' && mainThreads.has(`${e.pid}:${e.tid}`))
          .sort((a, b) => a.ts - b.ts),
        mainThreads: mainThreads.size,
      };
    },
  };
}

/**
 * Starts tracing the JS calls on renderer main threads (devtools.timeline FunctionCall
 * events: timer, event and MutationObserver callbacks, each with its thread CPU time,
 * `tdur`, which includes the DOM calls it makes). `stop` returns CPU ms and call counts
 * per category of the called script's URL. A call inside another call of the same
 * category on the same thread counts once (the outer one).
 * @param {CDPSession} cdp
 */
export async function startCallTrace(cdp) {
  const trace = await startMainThreadTrace(cdp);
  return {
    /** @param {(url: string) => string} classifyUrl */
    async stop(classifyUrl) {
      const { events, mainThreads } = await trace.stop();
      /** @type {Record<string, number>} */
      const cpuMs = {};
      /** @type {Record<string, number>} */
      const count = {};
      /** @type {Map<string, number>} end of the last counted call, per thread and category */
      const openUntil = new Map();
      for (const call of events) {
        if (call.name !== 'FunctionCall' || call.ph !== 'X') continue;
        const category = classifyUrl(call.args?.data?.url ?? '');
        const key = `${call.pid}:${call.tid}:${category}`;
        if (call.ts < (openUntil.get(key) ?? 0)) continue;
        openUntil.set(key, call.ts + (call.dur ?? 0));
        cpuMs[category] = (cpuMs[category] ?? 0) + (call.tdur ?? call.dur ?? 0) / 1000;
        count[category] = (count[category] ?? 0) + 1;
      }
      return { cpuMs, calls: count, mainThreads };
    },
  };
}

/**
 * Used JS heap of the page's isolate (every world in it) after a full GC, in bytes.
 * @param {CDPSession} cdp
 */
export async function heapAfterGc(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

/**
 * Waits until the detector of the page's top frame has started and finished its first
 * scan (its status is read in the extension's own world, where the detector keeps it
 * under a symbol the page cannot reach; see entrypoints/detector.content.ts). Resolves
 * to whether it did within `timeoutMs`.
 * @param {CDPSession} cdp a session attached to the page
 * @param {number} timeoutMs
 */
export async function detectorFirstScanDone(cdp, timeoutMs) {
  /** @type {{ id: number, auxData?: { type?: string, isDefault?: boolean } }[]} */
  const contexts = [];
  const onContext = (/** @type {{ context: any }} */ e) => contexts.push(e.context);
  cdp.on('Runtime.executionContextCreated', onContext);
  // Enabling replays every existing context as an event.
  await cdp.send('Runtime.enable');
  const expression = `(() => { const s = globalThis[Symbol.for('mo-prompt-advisor.detector-status')]; return s ? s() : null; })()`;
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      for (const context of contexts.filter((c) => c.auxData?.type === 'isolated')) {
        const reply = await cdp
          .send('Runtime.evaluate', { expression, contextId: context.id, returnByValue: true })
          .catch(() => undefined);
        const status = reply?.result?.value;
        if (status?.started && !status.searching) return true;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  } finally {
    cdp.off('Runtime.executionContextCreated', onContext);
    await cdp.send('Runtime.disable').catch(() => {});
  }
}
