// @ts-check
/**
 * Generated pages of a simulated clinical system for the benchmark: a medication
 * record with live tables (the kind of screen a GP keeps open all day), scaled to a
 * target element count, with no medicines optimisation prompt until the bench inserts
 * one. The page's own script (`window.__bench`) mutates the live tables at a chosen
 * rate, inserts and removes a ScriptSwitch dialog, and times the banner in-page.
 */

const DRUGS = [
  ['Atorvastatin', '20 mg tablets', 'One at night'],
  ['Amlodipine', '5 mg tablets', 'One daily'],
  ['Metformin', '500 mg modified-release tablets', 'Two with evening meal'],
  ['Ramipril', '2.5 mg capsules', 'One daily'],
  ['Omeprazole', '20 mg gastro-resistant capsules', 'One each morning'],
  ['Sertraline', '50 mg tablets', 'One daily'],
  ['Levothyroxine', '75 microgram tablets', 'One each morning before food'],
  ['Salbutamol', '100 micrograms/dose inhaler', 'Two puffs when required'],
  ['Bisoprolol', '2.5 mg tablets', 'One daily'],
  ['Apixaban', '5 mg tablets', 'One twice a day'],
  ['Lansoprazole', '15 mg orodispersible tablets', 'One daily'],
  ['Paracetamol', '500 mg tablets', 'Two up to four times a day'],
];
const STATUS = ['Repeat', 'Acute', 'Repeat dispensing', 'Awaiting review'];
const JOURNAL = [
  'Telephone consultation: reviewed blood pressure readings, no change to treatment.',
  'Medication review completed with patient; adherence good.',
  'Letter received from cardiology outpatients: continue current treatment.',
  'HbA1c 52 mmol/mol, repeat in six months.',
  'Repeat prescription request processed by practice pharmacist.',
  'Annual asthma review: inhaler technique checked.',
];

/** Elements per generated row / journal entry (kept in step with the templates below). */
const ROW_ELEMENTS = 11;
const ENTRY_ELEMENTS = 6;

/** @param {number} i */
function rowHtml(i) {
  const [drug, form, dose] = DRUGS[i % DRUGS.length] ?? DRUGS[0] ?? ['', '', ''];
  const status = STATUS[i % STATUS.length];
  return (
    `<tr class="rx" data-rx="${i}"><td><input type="checkbox" aria-label="Select ${drug}"></td>` +
    `<td>${drug} ${form}</td><td>${dose}</td><td>${28 + (i % 3) * 28}</td>` +
    `<td><span class="rag">${status}</span></td>` +
    `<td><button type="button">Issue</button> <button type="button">Review</button></td></tr>`
  );
}

/** @param {number} i */
function entryHtml(i) {
  return (
    `<li class="entry"><div class="meta"><time>${String((i % 28) + 1).padStart(2, '0')}-Oct-2026</time>` +
    `<span class="who">Dr R. Sample</span><span class="kind">Consultation</span></div>` +
    `<p>${JOURNAL[i % JOURNAL.length]}</p></li>`
  );
}

/**
 * Returns the page HTML for about `elements` elements (the real count is read in-page).
 * Layout: labelled sections, as accessible clinical web apps have: the medication
 * table and results table are live (mutated), the journal is static bulk.
 * `prompt`: the ScriptSwitch dialog is in the markup (present at load), and the page
 * times its banner from the moment the dialog was parsed (`__bench.loadBanner()`).
 * @param {{ elements: number, prompt?: boolean }} options
 */
export function generatePage({ elements, prompt = false }) {
  const fixed = 70;
  const budget = Math.max(0, elements - fixed);
  const liveRows = Math.max(8, Math.floor((budget * 0.5) / ROW_ELEMENTS));
  const medsRows = Math.ceil(liveRows * 0.7);
  const resultsRows = liveRows - medsRows;
  const entries = Math.max(4, Math.floor((budget - liveRows * ROW_ELEMENTS) / ENTRY_ELEMENTS));
  const rows = (/** @type {number} */ from, /** @type {number} */ n) =>
    Array.from({ length: n }, (_, k) => rowHtml(from + k)).join('');
  const head =
    '<tr><th scope="col"><span class="vh">Select</span></th><th scope="col">Medication</th><th scope="col">Dose</th>' +
    '<th scope="col">Qty</th><th scope="col">Status</th><th scope="col">Actions</th></tr>';
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Medication — TEST, Alex · Larkspur GP Web (benchmark)</title>
<style>
body{margin:0;font:14px/1.45 system-ui,sans-serif;color:#1e2a33;background:#f2f4f6}
.bar{display:flex;gap:18px;padding:7px 16px;background:#24506f;color:#fff}
.bar a{color:#fff}
.patient{display:flex;gap:26px;padding:8px 16px;background:#e4ebf1}
main{padding:14px 16px}
section.card{background:#fff;border:1px solid #cfd8e0;border-radius:4px;padding:12px 14px;margin-bottom:14px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e2e7ec;font-size:13px}
tr.is-selected{background:#fff6d6}
.rag{padding:1px 8px;border-radius:10px;background:#e7f3ea}
.entry .meta{display:flex;gap:10px;color:#5b6b78;font-size:12px}
.entry p{margin:2px 0 8px}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.modal{position:fixed;left:50%;top:120px;transform:translateX(-50%);width:520px;background:#fff;border:1px solid #8a9bab;border-radius:5px;box-shadow:0 8px 28px rgba(0,0,0,.25)}
.modal h2{margin:0;padding:9px 14px;background:#eef2f5;font-size:15px}
.modal .body{padding:12px 14px}
.modal .actions{display:flex;gap:6px;justify-content:flex-end;padding:10px 14px}
</style>
</head>
<body>
<header class="sys"><div class="bar"><span class="name">Larkspur GP Web <small>(benchmark)</small></span>
<nav aria-label="Main"><a href="#">Home</a> <a href="#">Appointments</a> <a href="#">Tasks (3)</a> <a href="#">Documents</a></nav>
<form role="search" onsubmit="return false"><label class="vh" for="find">Find patient</label><input id="find" type="search"><button type="submit">Find</button></form>
<button type="button">Sign out</button></div></header>
<section class="patient" aria-label="Patient"><span class="pname">TEST, Alex (Mx)</span><span>Born 14-Mar-1961</span>
<span>NHS No. 999 000 0018 (fictional)</span><span>Usual GP: Dr R. Sample</span><span>Allergies: Penicillin</span></section>
<main>
<h1>Medication</h1>
<div class="toolbar"><button type="button">Add acute</button> <button type="button">Add repeat</button> <button type="button">Print</button> <button type="button">Issue selected</button></div>
<section class="card" aria-labelledby="h-meds"><h2 id="h-meds">Current medication</h2>
<table><caption class="vh">Current medication</caption><thead>${head}</thead><tbody data-live="meds">${rows(0, medsRows)}</tbody></table></section>
<section class="card" aria-label="Results awaiting action"><h2>Results awaiting action</h2>
<table><thead>${head}</thead><tbody data-live="results">${rows(medsRows, resultsRows)}</tbody></table></section>
<section class="card" aria-labelledby="h-journal"><h2 id="h-journal">Journal</h2>
<ol class="journal">${Array.from({ length: entries }, (_, k) => entryHtml(k)).join('')}</ol></section>
</main>
${prompt ? PROMPT_AT_LOAD : ''}<script>(${benchRuntime.toString()})(${JSON.stringify({ DRUGS, STATUS, prompt })});</script>
</body>
</html>
`;
}

/** The documented ScriptSwitch screen, as served with the page (the same markup insertPrompt builds). */
const PROMPT_AT_LOAD =
  '<div id="bench-prompt" class="modal" role="dialog" aria-modal="true" aria-labelledby="ss-title-0">' +
  '<h2 id="ss-title-0">ScriptSwitch</h2><div class="body"><p>Consider switching Atorvastatin to a formulary ' +
  'alternative.</p><p>Estimated annual saving: £12.</p></div><div class="actions"><button type="button">Accept' +
  '</button><button type="button">Edit Original</button><button type="button">Prescribe Original</button></div></div>\n';

/**
 * A page of `frames` same-origin iframes, each a generated page of `elements` elements
 * (a clinical system's dashboard of panels, each its own document).
 * @param {{ frames: number, elements: number }} options
 */
export function generateFramesPage({ frames, elements }) {
  const src = `/bench/page.html?elements=${elements}`;
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Dashboard — Larkspur GP Web (benchmark)</title>
<style>body{margin:0;font:14px system-ui,sans-serif}iframe{width:240px;height:160px;border:1px solid #cfd8e0}</style></head>
<body><h1>Dashboard</h1>
${Array.from({ length: frames }, (_, i) => `<iframe title="Panel ${i + 1}" src="${src}&amp;panel=${i}"></iframe>`).join('\n')}
</body>
</html>
`;
}

/**
 * The page's own script, serialised into the page. Plain browser JS.
 * @param {{ DRUGS: string[][], STATUS: string[], prompt?: boolean }} data
 */
function benchRuntime(data) {
  let seed = 0x2545f491;
  const rand = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const pick = (/** @type {ArrayLike<any>} */ list) => list[Math.floor(rand() * list.length)];
  const tbodies = /** @type {HTMLTableSectionElement[]} */ ([
    ...document.querySelectorAll('tbody[data-live]'),
  ]);
  const total = () => tbodies.reduce((n, t) => n + t.rows.length, 0);
  const targetRows = total();
  let serial = 1e6;
  let opIndex = 0;
  let changes = 0;

  function makeRow(/** @type {boolean} */ withAccept) {
    const [drug, form, dose] = pick(data.DRUGS);
    const tr = document.createElement('tr');
    tr.className = 'rx';
    tr.dataset.rx = String(serial++);
    const cells = ['', `${drug} ${form}`, dose, String(28 + Math.floor(rand() * 3) * 28), '', ''];
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.setAttribute('aria-label', `Select ${drug}`);
    tr.cells[0]?.append(box);
    const rag = document.createElement('span');
    rag.className = 'rag';
    rag.textContent = pick(data.STATUS);
    tr.cells[4]?.append(rag);
    for (const label of withAccept ? ['Accept', 'Reject'] : ['Issue', 'Review']) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = label;
      tr.cells[5]?.append(button, ' ');
    }
    return tr;
  }

  /** One DOM change: append a row, edit a cell's text, toggle a row's class, or remove a row. */
  function applyChange(/** @type {{ withAccept?: boolean }} */ options = {}) {
    const size = total();
    // Appends and removals alternate; the guards keep the page at its size whatever the draws.
    let op = opIndex++ % 4;
    if (op === 3 && size <= targetRows - 4) op = 0;
    else if (op === 0 && size >= targetRows + 4) op = 3;
    let tbody = pick(tbodies);
    if (op !== 0 && tbody.rows.length < 2)
      tbody = tbodies.reduce((a, b) => (b.rows.length > a.rows.length ? b : a));
    const rows = tbody.rows;
    if (op === 0) {
      tbody.insertBefore(
        makeRow(Boolean(options.withAccept)),
        rows[Math.floor(rand() * (rows.length + 1))] ?? null,
      );
    } else if (op === 1) {
      const cell = pick(rows)?.cells[2];
      const text = `${pick(data.DRUGS)[2]} (${Math.floor(rand() * 100)})`;
      // Alternate the two ways apps change text: replacing the node and editing its data.
      if (cell?.firstChild?.nodeType === 3 && opIndex % 8 === 1)
        /** @type {Text} */ (cell.firstChild).data = text;
      else if (cell) cell.textContent = text;
    } else if (op === 2) {
      pick(rows)?.classList.toggle('is-selected');
    } else {
      pick(rows)?.remove();
    }
    changes++;
  }

  function applyChanges(/** @type {number} */ n, /** @type {{ withAccept?: boolean }} */ options = {}) {
    for (let i = 0; i < n; i++) applyChange(options);
  }

  /** @type {ReturnType<typeof setInterval> | undefined} */
  let timer;
  function startMutator(/** @type {number} */ rate) {
    stopMutator();
    if (!rate) return;
    const started = performance.now();
    let done = 0;
    timer = setInterval(() => {
      const due = Math.floor(((performance.now() - started) * rate) / 1000);
      // After a stall (a saturated main thread) drop the backlog instead of bursting.
      const n = Math.min(due - done, Math.ceil(rate / 25));
      applyChanges(n);
      done = due;
    }, 20);
  }
  function stopMutator() {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  }

  // A neutral id: the prompt carries only the documented cues (dialog, title, buttons).
  const PROMPT_ID = 'bench-prompt';
  let promptSerial = 0;
  /** The documented ScriptSwitch screen: a modal dialog titled "ScriptSwitch" with its three buttons. */
  function insertPrompt() {
    const n = ++promptSerial;
    const dialog = document.createElement('div');
    dialog.id = PROMPT_ID;
    dialog.className = 'modal';
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.setAttribute('aria-labelledby', `ss-title-${n}`);
    dialog.innerHTML =
      `<h2 id="ss-title-${n}">ScriptSwitch</h2><div class="body"><p>Consider switching ` +
      `${pick(data.DRUGS)[0]} to a formulary alternative.</p><p>Estimated annual saving: £${(n % 90) + 10}.</p></div>` +
      '<div class="actions"><button type="button">Accept</button><button type="button">Edit Original</button>' +
      '<button type="button">Prescribe Original</button></div>';
    document.body.append(dialog);
  }
  function removePrompt() {
    document.getElementById(PROMPT_ID)?.remove();
  }

  function bannerHost() {
    for (let el = document.body.lastElementChild; el; el = el.previousElementSibling) {
      if (el.localName === 'mo-advisor-banner') return el;
    }
    return null;
  }
  function bannerVisible() {
    const banner = bannerHost()?.shadowRoot?.querySelector('[data-testid="mo-banner"]');
    // Rendered, and not hidden while it is being placed (visibility: hidden until then).
    return Boolean(
      banner &&
        banner.getClientRects().length > 0 &&
        banner.checkVisibility({ visibilityProperty: true, opacityProperty: true }),
    );
  }

  /**
   * Resolves when the banner's visibility becomes `want`: `dom` = when the change was
   * seen (a MutationObserver on the host's shadow root, or an animation frame), `frame`
   * = the animation frame after it (the frame that paints the banner begins), `painted` =
   * the first task after that frame (its paint is done).
   * @returns {Promise<{ dom: number, frame: number, painted: number } | null>}
   */
  function waitBanner(/** @type {boolean} */ want, /** @type {number} */ timeoutMs) {
    return new Promise((resolve) => {
      /** @type {number | undefined} */
      let seen;
      let done = false;
      let shadowHooked = false;
      /** @type {MutationObserver[]} */
      const observers = [];
      const finish = (/** @type {{ dom: number, frame: number, painted: number } | null} */ value) => {
        if (done) return;
        done = true;
        for (const o of observers) o.disconnect();
        clearTimeout(timeout);
        resolve(value);
      };
      const check = () => {
        if (done || seen !== undefined) return;
        hookShadow();
        if (bannerVisible() !== want) return;
        const dom = performance.now();
        seen = dom;
        requestAnimationFrame(() => {
          const frame = performance.now();
          const after = new MessageChannel();
          after.port1.onmessage = () => finish({ dom, frame, painted: performance.now() });
          after.port2.postMessage(null);
        });
      };
      const hookShadow = () => {
        const shadow = shadowHooked ? null : bannerHost()?.shadowRoot;
        if (!shadow) return;
        shadowHooked = true;
        const o = new MutationObserver(check);
        o.observe(shadow, { childList: true, subtree: true, attributes: true });
        observers.push(o);
      };
      const bodyObserver = new MutationObserver(check);
      bodyObserver.observe(document.body, { childList: true });
      observers.push(bodyObserver);
      const frame = () => {
        if (done) return;
        check();
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
      const timeout = setTimeout(() => finish(null), timeoutMs);
      check();
    });
  }

  /** Inserts the prompt and returns ms from insertion to the banner (null on timeout). */
  async function measureInsert(/** @type {number} */ timeoutMs) {
    const wait = waitBanner(true, timeoutMs);
    const t0 = performance.now();
    insertPrompt();
    const t = await wait;
    return t ? { dom: t.dom - t0, frame: t.frame - t0 } : null;
  }
  /** Removes the prompt and returns ms until the banner has gone (null on timeout). */
  async function measureRemove(/** @type {number} */ timeoutMs) {
    const wait = waitBanner(false, timeoutMs);
    const t0 = performance.now();
    removePrompt();
    const t = await wait;
    return t ? { dom: t.dom - t0, frame: t.frame - t0 } : null;
  }

  /** Frames the page paints: counted by requestAnimationFrame over a window. */
  let frames = 0;
  let counting = false;
  function countFrame() {
    if (!counting) return;
    frames++;
    requestAnimationFrame(countFrame);
  }
  function startFrames() {
    frames = 0;
    counting = true;
    requestAnimationFrame(countFrame);
  }
  function stopFrames() {
    counting = false;
    return frames;
  }

  /** A window title that changes every `ms` (a clock, an unread count): page-level evidence changing. */
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let titleTimer;
  let titleChanges = 0;
  const baseTitle = document.title;
  function startTitle(/** @type {number} */ ms) {
    stopTitle();
    titleTimer = setInterval(() => {
      titleChanges++;
      document.title = `(${titleChanges % 100}) ${baseTitle}`;
    }, ms);
  }
  function stopTitle() {
    if (titleTimer !== undefined) clearInterval(titleTimer);
    titleTimer = undefined;
    return titleChanges;
  }

  // A prompt served with the page: time its banner from now (the dialog was just parsed),
  // and from the end of the first frame the page renders after it, when the prompt's
  // pixels exist (the first task after that frame). The banner is timed the same way
  // (waitBanner's `painted`): both on the main thread, whatever the compositor then
  // takes to present them.
  const parsedAt = performance.now();
  const loadBannerWait = data.prompt ? waitBanner(true, 10_000) : Promise.resolve(null);
  /** @type {Promise<number | null>} */
  const promptPaint = new Promise((resolve) => {
    if (!data.prompt) {
      resolve(null);
      return;
    }
    requestAnimationFrame(() => {
      const after = new MessageChannel();
      after.port1.onmessage = () => resolve(performance.now());
      after.port2.postMessage(null);
    });
  });
  async function loadBanner() {
    const t = await loadBannerWait;
    const painted = await promptPaint;
    const nav = /** @type {PerformanceNavigationTiming | undefined} */ (
      performance.getEntriesByType('navigation')[0]
    );
    return {
      parsedAt,
      promptPaintedAt: painted,
      domContentLoaded: nav?.domContentLoadedEventStart ?? Number.NaN,
      shown: t ? t.painted : null,
    };
  }

  Object.assign(window, {
    __bench: {
      startTitle,
      stopTitle,
      loadBanner,
      startFrames,
      stopFrames,
      applyChanges,
      startMutator,
      stopMutator,
      changes: () => changes,
      elementCount: () => document.getElementsByTagName('*').length,
      insertPrompt,
      removePrompt,
      bannerVisible,
      measureInsert,
      measureRemove,
    },
  });
}
