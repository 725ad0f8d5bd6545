// @ts-check
/**
 * A timeline trace of a page load, read per script: each content script's evaluation
 * (EvaluateScript) and calls (FunctionCall: event listeners, timers, observers), with
 * their thread CPU time (tdur) and wall time (dur), on the renderer's main thread(s).
 * Used by the start-up suites (scripts/bench/startup.mjs), where a script's evaluation
 * counts as much as its calls.
 */

import { startMainThreadTrace } from './cdp.mjs';

/** @typedef {import('playwright-core').CDPSession} CDPSession */

/**
 * @typedef {{ name: string, url: string, ts: number, dur: number, tdur: number }} ScriptEvent
 *   ts in µs (trace clock), dur and tdur in ms
 */

/**
 * Starts tracing devtools.timeline; `stop()` returns every outermost script event (an
 * evaluation or call not nested in another of the same script on the same thread) on
 * the renderer main threads, in time order.
 * @param {CDPSession} cdp
 */
export async function startScriptTrace(cdp) {
  const trace = await startMainThreadTrace(cdp);
  return {
    /** @returns {Promise<ScriptEvent[]>} */
    async stop() {
      const { events } = await trace.stop();
      /** @type {Map<string, number>} end of the last outermost event, per thread and script */
      const openUntil = new Map();
      /** @type {ScriptEvent[]} */
      const out = [];
      for (const e of events) {
        if ((e.name !== 'FunctionCall' && e.name !== 'EvaluateScript') || e.ph !== 'X') continue;
        const url = String(e.args?.data?.url ?? '');
        const key = `${e.pid}:${e.tid}:${url}`;
        if (e.ts < (openUntil.get(key) ?? 0)) continue;
        openUntil.set(key, e.ts + (e.dur ?? 0));
        out.push({
          name: e.name,
          url,
          ts: e.ts,
          dur: (e.dur ?? 0) / 1000,
          tdur: (e.tdur ?? e.dur ?? 0) / 1000,
        });
      }
      return out;
    },
  };
}

/**
 * The extension's share of a trace: evaluation and call CPU per script file
 * (`detector.js`…), how many evaluations (one per frame it ran in), and its longest
 * single event by CPU and by wall time.
 * @param {ScriptEvent[]} events
 */
export function extensionCost(events) {
  const ours = events.filter((e) => e.url.startsWith('chrome-extension://'));
  /** @type {Record<string, { evalMs: number, callMs: number, evaluations: number, calls: number }>} */
  const byScript = {};
  for (const e of ours) {
    const file = e.url.split('/').pop() || '?';
    const s = byScript[file] ?? { evalMs: 0, callMs: 0, evaluations: 0, calls: 0 };
    byScript[file] = s;
    if (e.name === 'EvaluateScript') {
      s.evalMs += e.tdur;
      s.evaluations++;
    } else {
      s.callMs += e.tdur;
      s.calls++;
    }
  }
  const longestCpu = ours.reduce((m, e) => Math.max(m, e.tdur), 0);
  const longestWall = ours.reduce((m, e) => Math.max(m, e.dur), 0);
  const longest = ours.find((e) => e.tdur === longestCpu);
  const totalMs = ours.reduce((sum, e) => sum + e.tdur, 0);
  return {
    totalMs,
    byScript,
    longestCpuMs: longestCpu,
    longestWallMs: longestWall,
    longestKind: longest ? longest.name : '',
    /** Events over 4 ms of CPU (the task limit). */
    over4ms: ours.filter((e) => e.tdur > 4).map((e) => ({ name: e.name, cpuMs: e.tdur, wallMs: e.dur })),
  };
}
