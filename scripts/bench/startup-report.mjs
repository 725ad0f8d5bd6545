// @ts-check
/**
 * Tables and budget checks for the start-up suites (scripts/bench/startup.mjs and
 * cold-start.mjs). Budgets are checked in full mode; a quick run reports the figures
 * and checks only that each suite saw what it measures.
 */
import { fmt, median, percentile, range, table } from './stats.mjs';

/**
 * @typedef {(kind: 'budget' | 'ratio', name: string, pass: boolean, detail: string) => void} Check
 * @typedef {Awaited<ReturnType<typeof import('./cold-start.mjs').coldStart>>} ColdStart
 * @typedef {Awaited<ReturnType<typeof import('./startup.mjs').titleStormRun>> & { variant: 'plain' | 'ours', titleMs: number, elements: number, round: number }} TitleRun
 * @typedef {Awaited<ReturnType<typeof import('./startup.mjs').loadRun>> & { variant: 'plain' | 'ours' }} LoadRun
 * @typedef {Awaited<ReturnType<typeof import('./startup.mjs').promptAtLoadRun>>} PromptAtLoad
 * @typedef {Awaited<ReturnType<typeof import('./startup.mjs').framesRun>> & { variant: 'plain' | 'ours' }} FramesRun
 */

const section = (/** @type {string} */ title) => console.log(`\n== ${title} ==`);
const finite = (/** @type {(number | null | undefined)[]} */ xs) =>
  /** @type {number[]} */ (xs.filter((x) => typeof x === 'number' && Number.isFinite(x)));

/**
 * @param {ColdStart | undefined} cold
 * @param {{ check: Check, quick: boolean }} o
 */
export function reportColdStart(cold, { check, quick }) {
  if (!cold) return undefined;
  section('Cold start (issue 19): first prompt after the browser starts, remembered policy');
  const coldMs = finite(cold.prompts.map((p) => p.coldMs));
  const warmMs = finite(cold.prompts.map((p) => p.warmMs));
  const optionsMs = finite(cold.options);
  console.log(
    table(
      ['launch', 'browser up ms', 'first prompt → banner ms', 'later prompt → banner ms', 'storage.managed'],
      cold.prompts.map((p, i) => [
        i + 1,
        p.launchMs,
        fmt(p.coldMs ?? Number.NaN, 0),
        fmt(p.warmMs ?? Number.NaN, 0),
        p.policy,
      ]),
    ),
  );
  const slower = median(coldMs) - median(warmMs);
  console.log(
    `options page, settings shown after a fresh start (ms from its navigation): ${cold.options.map((m) => fmt(m ?? Number.NaN, 0)).join(', ')}`,
  );
  const summary = {
    coldMedianMs: median(coldMs),
    warmMedianMs: median(warmMs),
    coldSlowerMs: slower,
    optionsMedianMs: median(optionsMs),
    timeouts: cold.prompts.filter((p) => p.coldMs === null).length,
  };
  check(
    'ratio',
    'cold start: every first prompt after a start was bannered',
    summary.timeouts === 0 && coldMs.length > 0,
    `${coldMs.length} of ${cold.prompts.length} launches`,
  );
  if (!quick)
    check(
      'budget',
      'first banner after a browser start at most 0.7 s slower than a later one (median of >= 3 launches)',
      coldMs.length >= 3 && slower <= 700,
      `${fmt(slower, 0)} ms slower: first ${fmt(median(coldMs), 0)} ms (${range(coldMs, 0)}), later ${fmt(median(warmMs), 0)} ms (${range(warmMs, 0)}), ${coldMs.length} launches`,
    );
  check(
    'ratio',
    'options page shows settings after a fresh start',
    optionsMs.length === cold.options.length && optionsMs.length > 0,
    `median ${fmt(median(optionsMs), 0)} ms (${range(optionsMs, 0)})`,
  );
  return summary;
}

/**
 * @param {TitleRun[]} runs
 * @param {{ check: Check, quick: boolean }} o
 */
export function reportTitleStorm(runs, { check, quick }) {
  if (runs.length === 0) return [];
  section('Title storm (issue 19): a static page whose window title keeps changing');
  const keys = [...new Set(runs.map((r) => `${r.elements}|${r.titleMs}`))];
  /** @type {(string | number)[][]} */
  const rows = [];
  const summary = [];
  for (const key of keys) {
    const [elements, titleMs] = key.split('|').map(Number);
    const of = (/** @type {'plain' | 'ours'} */ v) =>
      runs.filter((r) => r.elements === elements && r.titleMs === titleMs && r.variant === v);
    const ours = of('ours');
    const plain = of('plain');
    // Paired per round: the page with the extension / the same page alone, main-thread CPU.
    const ratios = ours.map((o) => {
      const p = plain.find((x) => x.round === o.round);
      return p ? o.threadMs / p.threadMs : Number.NaN;
    });
    const tracedRatios = ours.map((o) => {
      const p = plain.find((x) => x.round === o.round);
      return p ? (o.pageScriptMs + o.extensionMs) / p.pageScriptMs : Number.NaN;
    });
    const pct = (/** @type {number} */ ms, /** @type {number} */ w) => (100 * ms) / w;
    const s = {
      elements,
      titleMs,
      plainThreadPct: median(plain.map((r) => pct(r.threadMs, r.windowMs))),
      oursThreadPct: median(ours.map((r) => pct(r.threadMs, r.windowMs))),
      ratio: median(ratios),
      ratioRange: range(ratios, 3),
      tracedRatio: median(tracedRatios),
      pageScriptPct: median(plain.map((r) => pct(r.pageScriptMs, r.windowMs))),
      extensionPct: median(ours.map((r) => pct(r.extensionMs, r.windowMs))),
      extensionMsPerChange: median(ours.map((r) => r.extensionMs / Math.max(1, (r.windowMs / titleMs) | 0))),
    };
    summary.push(s);
    const label = `${elements / 1000}k, title every ${titleMs} ms`;
    rows.push([
      label,
      fmt(s.plainThreadPct, 2),
      fmt(s.oursThreadPct, 2),
      `${fmt(s.ratio, 3)}${s.ratioRange ? ` (${s.ratioRange})` : ''}`,
      fmt(s.pageScriptPct, 3),
      fmt(s.extensionPct, 3),
      fmt(s.tracedRatio, 2),
      fmt(s.extensionMsPerChange, 3),
    ]);
    if (!quick)
      check(
        'budget',
        `title storm: main thread with the extension <= 1.25x the page alone (${label})`,
        s.ratio <= 1.25,
        `${fmt(s.ratio, 3)}x median of ${ratios.length} (${s.ratioRange || '–'}): ${fmt(s.oursThreadPct, 2)} % vs ${fmt(s.plainThreadPct, 2)} % of the main thread; extension's own calls ${fmt(s.extensionPct, 3)} %`,
      );
  }
  console.log(
    table(
      [
        'page',
        'alone cpu%',
        'with ext cpu%',
        'ratio (range)',
        "page's js%",
        'ext js%',
        '(page js+ext js)/page js',
        'ext ms per title',
      ],
      rows,
    ),
  );
  console.log(
    "(cpu% = CDP ThreadTime / window: all main-thread work; js% = traced CPU of the page's own script calls / the extension's calls)",
  );
  return summary;
}

/**
 * @param {{ loads: LoadRun[], traced: LoadRun[], promptAtLoad: PromptAtLoad[], elements: number }} r
 * @param {{ check: Check, quick: boolean }} o
 */
export function reportLoad({ loads, traced, promptAtLoad, elements }, { check, quick }) {
  if (loads.length === 0 && traced.length === 0 && promptAtLoad.length === 0) return undefined;
  section(`Loading a static ${elements / 1000}k-element page (issue 20)`);
  const delay = (/** @type {'plain' | 'ours'} */ v) =>
    loads.filter((r) => r.variant === v).map((r) => r.loadAfterDclMs);
  const plainDelay = delay('plain');
  const oursDelay = delay('ours');
  const added = median(oursDelay) - median(plainDelay);
  const ext = traced.filter((r) => r.variant === 'ours').map((r) => r.extension);
  const defined = /** @type {NonNullable<LoadRun['extension']>[]} */ (ext.filter(Boolean));
  const evalMs = defined.map((e) => e.byScript['detector.js']?.evalMs ?? 0);
  const callMs = defined.map((e) => e.byScript['detector.js']?.callMs ?? 0);
  const longestCpu = defined.map((e) => e.longestCpuMs);
  const longestWall = defined.map((e) => e.longestWallMs);
  // The budget's clock starts when the prompt is first painted: before that no one can
  // see it, and the page's own style, layout and paint of a large page (about 100 ms
  // here) come between its parsing and its first paint whatever an extension does.
  const fromPaint = promptAtLoad.map((p) => p.fromPaintMs);
  const banners = promptAtLoad.map((p) => p.fromParsedMs);
  const bannersDcl = finite(promptAtLoad.map((p) => p.fromDclMs));

  console.log(
    table(
      ['figure', 'median', 'min..max', 'n'],
      [
        [
          'load event after DOMContentLoaded, page alone (ms)',
          fmt(median(plainDelay), 1),
          range(plainDelay, 1),
          plainDelay.length,
        ],
        [
          'load event after DOMContentLoaded, with the extension (ms)',
          fmt(median(oursDelay), 1),
          range(oursDelay, 1),
          oursDelay.length,
        ],
        ['detector.js evaluation, CPU (ms, traced)', fmt(median(evalMs), 2), range(evalMs, 2), evalMs.length],
        [
          'detector.js calls to 500 ms after load: first scan, CPU (ms)',
          fmt(median(callMs), 2),
          range(callMs, 2),
          callMs.length,
        ],
        [
          'longest extension event, CPU (ms)',
          fmt(median(longestCpu), 2),
          range(longestCpu, 2),
          longestCpu.length,
        ],
        [
          'longest extension event, wall (ms)',
          fmt(median(longestWall), 2),
          range(longestWall, 2),
          longestWall.length,
        ],
        [
          "prompt in the markup → banner, from the prompt's first paint (ms)",
          fmt(median(finite(fromPaint)), 0),
          range(finite(fromPaint), 0),
          fromPaint.length,
        ],
        [
          'prompt in the markup → banner, from parsed (ms)',
          fmt(median(finite(banners)), 0),
          range(finite(banners), 0),
          banners.length,
        ],
        [
          'prompt in the markup → banner, from DOMContentLoaded (ms)',
          fmt(median(bannersDcl), 0),
          range(bannersDcl, 0),
          bannersDcl.length,
        ],
      ],
    ),
  );
  const over = defined.flatMap((e) => e.over4ms);
  if (over.length > 0)
    console.log(
      `extension events over 4 ms of CPU: ${over.map((e) => `${e.name} ${fmt(e.cpuMs, 1)} ms (wall ${fmt(e.wallMs, 1)})`).join(', ')}`,
    );
  check(
    'ratio',
    "load trace saw the detector's evaluation and first scan",
    defined.length > 0 && defined.every((e) => (e.byScript['detector.js']?.evaluations ?? 0) > 0),
    `${defined.filter((e) => (e.byScript['detector.js']?.evaluations ?? 0) > 0).length} of ${defined.length} traced loads`,
  );
  if (!quick) {
    check(
      'budget',
      `load event delayed by the extension <= 10 ms (median, static ${elements / 1000}k page)`,
      added <= 10,
      `+${fmt(added, 1)} ms: ${fmt(median(oursDelay), 1)} ms with (${range(oursDelay, 1)}) vs ${fmt(median(plainDelay), 1)} ms alone (${range(plainDelay, 1)}), ${oursDelay.length} loads each`,
    );
    check(
      'budget',
      'no extension task longer than 4 ms while the page loads (CPU)',
      Math.max(...longestCpu) <= 4,
      `longest ${fmt(Math.max(...longestCpu), 2)} ms CPU (median of loads ${fmt(median(longestCpu), 2)}; wall ${fmt(median(longestWall), 2)} ms) over ${longestCpu.length} traced loads`,
    );
    check(
      'budget',
      'a prompt present at load is bannered within 100 ms of its first paint (median)',
      finite(fromPaint).length === fromPaint.length && median(finite(fromPaint)) <= 100,
      `median ${fmt(median(finite(fromPaint)), 0)} ms, p95 ${fmt(percentile(finite(fromPaint), 95), 0)} ms (${range(finite(fromPaint), 0)}); ${fromPaint.length - finite(fromPaint).length} without a paint time or banner; from parsed: median ${fmt(median(finite(banners)), 0)} ms`,
    );
  }
  return {
    loadDelayAloneMs: median(plainDelay),
    loadDelayWithMs: median(oursDelay),
    loadDelayAddedMs: added,
    detectorEvalMs: median(evalMs),
    detectorFirstScanCallsMs: median(callMs),
    longestCpuMs: Math.max(...longestCpu),
    longestWallMedianMs: median(longestWall),
    bannerFromPromptPaintMs: median(finite(fromPaint)),
    bannerFromParsedMs: median(finite(banners)),
  };
}

/**
 * @param {FramesRun[]} runs
 * @param {{ check: Check, frames: number }} o
 */
export function reportFrames(runs, { check, frames }) {
  if (runs.length === 0) return undefined;
  section(`A page of ${frames} same-origin frames (issue 20)`);
  const of = (/** @type {'plain' | 'ours'} */ v) => runs.filter((r) => r.variant === v);
  const plain = of('plain');
  const ours = of('ours');
  const perFrame = (/** @type {number} */ x) => x / frames;
  const extMs = ours.map((r) => r.extension.totalMs);
  const evaluations = ours.map((r) => r.extension.byScript['detector.js']?.evaluations ?? 0);
  const s = {
    loadAloneMs: median(plain.map((r) => r.loadMs)),
    loadWithMs: median(ours.map((r) => r.loadMs)),
    threadAloneMs: median(plain.map((r) => r.threadMs)),
    threadWithMs: median(ours.map((r) => r.threadMs)),
    extensionCpuPerFrameMs: perFrame(median(extMs)),
    detectorEvalPerFrameMs: perFrame(
      median(ours.map((r) => r.extension.byScript['detector.js']?.evalMs ?? 0)),
    ),
    heapPerFrameKB:
      perFrame(median(ours.map((r) => r.heapBytes)) - median(plain.map((r) => r.heapBytes))) / 1024,
    longestCpuMs: Math.max(...ours.map((r) => r.extension.longestCpuMs)),
  };
  console.log(
    table(
      ['', 'page alone', 'with the extension', 'added per frame'],
      [
        [
          'load event (ms from navigation)',
          fmt(s.loadAloneMs, 0),
          fmt(s.loadWithMs, 0),
          fmt(perFrame(s.loadWithMs - s.loadAloneMs), 2),
        ],
        [
          'main-thread CPU, navigation to load + 500 ms (ms)',
          fmt(s.threadAloneMs, 0),
          fmt(s.threadWithMs, 0),
          fmt(perFrame(s.threadWithMs - s.threadAloneMs), 2),
        ],
        ["extension's traced CPU (ms)", '–', fmt(median(extMs), 1), fmt(s.extensionCpuPerFrameMs, 2)],
        [
          '  of which detector.js evaluation (ms)',
          '–',
          fmt(s.detectorEvalPerFrameMs * frames, 1),
          fmt(s.detectorEvalPerFrameMs, 2),
        ],
        [
          'JS heap after GC (KB)',
          fmt(median(plain.map((r) => r.heapBytes)) / 1024, 0),
          fmt(median(ours.map((r) => r.heapBytes)) / 1024, 0),
          fmt(s.heapPerFrameKB, 0),
        ],
        ['longest extension event, CPU (ms)', '–', fmt(s.longestCpuMs, 2), ''],
      ],
    ),
  );
  console.log(
    `(medians of ${ours.length} load(s) each; detector evaluated in ${evaluations.join(', ')} documents)`,
  );
  check(
    'ratio',
    `the detector ran in every frame of the ${frames}-frame page`,
    evaluations.length > 0 && evaluations.every((n) => n >= frames),
    `${evaluations.join(', ')} evaluations per load (${frames} frames + the top page)`,
  );
  return s;
}
