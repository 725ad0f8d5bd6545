// @ts-check
/**
 * Chrome DevTools Protocol helpers: main-thread metrics, a sampling CPU profile
 * attributed by script origin, and heap readings after a forced GC.
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
 * Used JS heap of the page's isolate (every world in it) after a full GC, in bytes.
 * @param {CDPSession} cdp
 */
export async function heapAfterGc(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}
