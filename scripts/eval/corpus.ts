import fc from 'fast-check';

/**
 * A generated corpus of pages for the detection evaluation: plausible MO prompts shaped
 * unlike our own sim pages, and the negatives a clinical system is full of. Built from a
 * grammar (containers, frames, shadow roots, nesting, brand placements and spellings,
 * class names that say nothing, message wording, control decorations, visibility states)
 * and drawn with fast-check from a fixed seed, so every run sees the same pages.
 *
 * What counts as a prompt here (a positive) is what a person would call one: the tool's
 * name where a title is read (at least one structural place: heading, label, logo, the
 * frame's title) on something that behaves like a prompt (a dialog, popover, alert,
 * toast, labelled region or aside; a vendor frame; or a panel offering action buttons),
 * rendered. Message wording is drawn from two lists: phrases the catalogue knows and
 * phrases it does not, so recall is not measured on our own vocabulary alone.
 *
 * Shadow roots are written as `<template data-shadow>` inside their host and attached by
 * attachShadows(); an open popover carries `data-popover-open` (happy-dom has no Popover
 * API: the node evaluation injects that state, Chromium calls showPopover()).
 */

export type ToolId = 'optimiserx' | 'scriptswitch';

export interface EvalDocument {
  html: string;
  title: string;
  url: string;
}

export interface EvalCase {
  id: number;
  /** The shape, for per-shape figures: container kind for positives, trap kind for negatives. */
  shape: string;
  /** The tool that must be flagged; null: nothing may be flagged. */
  tool: ToolId | null;
  top: EvalDocument;
  /** Sub-frame documents (vendor panels), scanned as frames. */
  frames: EvalDocument[];
}

const CLINICAL_URL = 'https://clinical.example.nhs.uk/patients/123/medication';

const SPELLINGS: Record<ToolId, readonly string[]> = {
  optimiserx: [
    'OptimiseRx',
    'OptimiseRx®',
    'Optimise Rx',
    'FDB OptimiseRx',
    'OPTIMISERX',
    'OptimiseRx™ message',
  ],
  scriptswitch: [
    'ScriptSwitch',
    'Script Switch',
    'ScriptSwitch®',
    'Optum ScriptSwitch',
    'SCRIPTSWITCH',
    'ScriptSwitch recommendation',
  ],
};

/** Wording the catalogue's vocabulary knows (lib/catalogue/supporting.ts)… */
const KNOWN_MESSAGES = [
  'Formulary status: RED. A cost-effective alternative is available.',
  'Non-formulary item. Preferred alternative: Amlodipine 5 mg tablets.',
  'Suggested switch to Atorvastatin 20 mg tablets. Potential saving £48.20 per year.',
  'Best practice message: review the need for a PPI after 8 weeks.',
  'Formulary AMBER: specialist initiation. Consider switching to the formulary choice.',
  'A more cost-effective alternative exists: annual saving £112.',
];
/** …and wording it does not, so the evaluation does not only test our own guesses. */
const OTHER_MESSAGES = [
  'Lower-cost option available for this item.',
  'Your ICB recommends Sitagliptin 100 mg for this patient group.',
  'This product has a local guideline. Tap for details.',
  'Generic prescribing advised for this medicine.',
  'Pack size change suggested: 28 tablets.',
  'Price check: £3.10 versus £0.98 for the equivalent.',
];

const GENERIC_CONTROLS = ['Accept', 'Reject', 'Feedback', 'Dismiss'];
const SCRIPTSWITCH_CONTROLS = ['Accept', 'Edit Original', 'Prescribe Original'];

/** Class names that say nothing about what the element is. */
const MEANINGLESS = [
  'c-x9f',
  'panel__inner',
  'sc-bdVaJa',
  'css-1k2j3h',
  'wrap',
  'u-mt-2',
  'jss412',
  'box',
  'col-md-6',
];

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (text: string) => escapeText(text).replace(/"/g, '&quot;');

type Decoration =
  | 'plain'
  | 'glyph'
  | 'aria-hidden-icon'
  | 'icon-font'
  | 'spaces'
  | 'aria-label-icon'
  | 'input'
  | 'role-button';

function control(label: string, decoration: Decoration, cls: string): string {
  switch (decoration) {
    case 'glyph':
      return `<button class="${cls}">✓ ${label}</button>`;
    case 'aria-hidden-icon':
      return `<button class="${cls}"><span aria-hidden="true">✔</span>${label}</button>`;
    case 'icon-font':
      return `<button class="${cls}"><i class="fa fa-check" aria-hidden="true">\ue001</i> ${label}</button>`;
    case 'spaces':
      return `<button class="${cls}">\n      ${label}\n    </button>`;
    case 'aria-label-icon':
      return `<button class="${cls}" aria-label="${label}"><svg width="12" height="12"><path d="M0 0h12v12H0z"/></svg></button>`;
    case 'input':
      return `<input type="button" class="${cls}" value="${label}">`;
    case 'role-button':
      return `<div role="button" tabindex="0" class="${cls}">${label}</div>`;
    default:
      return `<button class="${cls}">${label}</button>`;
  }
}

const LOGO =
  'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%2260%22 height=%2216%22/%3E';

/** The clinical page around a prompt: a medication table, perhaps a note being typed. */
function clinicalPage(inner: string, noteMentions: string | null): string {
  const note =
    noteMentions === null
      ? ''
      : `<section aria-label="Consultation note"><div contenteditable="true" class="editor"><h2>${escapeText(noteMentions)}</h2><p>Patient asked about the ${escapeText(noteMentions)} message; suggested switch discussed.</p></div></section>`;
  return `<header><h1>Medication</h1></header><main><table><caption>Current medication</caption><tr><td>Amlodipine 10 mg</td><td>1 daily</td></tr><tr><td>Omeprazole 20 mg</td><td>1 daily</td></tr></table>${note}${inner}</main>`;
}

const positionArb = fc.subarray(['heading', 'label', 'labelledby', 'logo', 'legend'] as const, {
  minLength: 1,
});

const positiveArb = fc
  .record({
    tool: fc.constantFrom<ToolId>('optimiserx', 'scriptswitch'),
    shape: fc.constantFrom(
      'dialog',
      'role-dialog',
      'alertdialog',
      'popover',
      'aside',
      'region',
      'toast',
      'log',
      'action-panel',
      'frame',
      'shadow',
      'nested-shadow',
    ),
    spelling: fc.nat(5),
    positions: positionArb,
    headingTag: fc.constantFrom('h1', 'h2', 'h3', 'h4', 'role-heading'),
    knownMessage: fc.boolean(),
    message: fc.nat(5),
    controls: fc.constantFrom('none', 'generic', 'documented'),
    decoration: fc.constantFrom<Decoration>(
      'plain',
      'glyph',
      'aria-hidden-icon',
      'icon-font',
      'spaces',
      'aria-label-icon',
      'input',
      'role-button',
    ),
    depth: fc.nat(6),
    cls: fc.nat(MEANINGLESS.length - 1),
    hiddenBait: fc.constantFrom('none', 'hidden-span', 'style-comment', 'template'),
    note: fc.boolean(),
    frameTitle: fc.boolean(),
    shadowDepth: fc.integer({ min: 1, max: 4 }),
  })
  // A prompt needs a reason to be one. An aside or labelled region is a page part like
  // any other (a settings panel describing the tool is one too): it needs buttons, the
  // brand as its own label, or the brand in two places.
  .filter(
    (p) =>
      (p.shape !== 'aside' && p.shape !== 'region') ||
      p.controls !== 'none' ||
      p.positions.includes('label') ||
      p.positions.includes('labelledby') ||
      p.positions.length >= 2,
  )
  .map((p): Omit<EvalCase, 'id'> => {
    const brand = SPELLINGS[p.tool][p.spelling % SPELLINGS[p.tool].length] as string;
    const cls = MEANINGLESS[p.cls] as string;
    const positions = new Set<string>(p.positions);
    const message = (p.knownMessage ? KNOWN_MESSAGES : OTHER_MESSAGES)[p.message] as string;
    // An action panel is a prompt by its buttons: it always offers some.
    let controls: string = p.controls;
    if (controls === 'none' && p.shape === 'action-panel') controls = 'generic';
    if (controls === 'documented' && p.tool !== 'scriptswitch') controls = 'generic';
    const labels =
      controls === 'documented'
        ? SCRIPTSWITCH_CONTROLS
        : controls === 'generic'
          ? GENERIC_CONTROLS.slice(0, 2 + (p.cls % 3))
          : [];
    const buttons = labels.map((l) => control(l, p.decoration, cls)).join(' ');
    const headingId = `h-${p.cls}-${p.depth}`;
    const heading =
      positions.has('heading') || positions.has('labelledby')
        ? p.headingTag === 'role-heading'
          ? `<div role="heading" aria-level="2" id="${headingId}" class="${cls}">${escapeText(brand)}</div>`
          : `<${p.headingTag} id="${headingId}" class="${cls}">${escapeText(brand)}</${p.headingTag}>`
        : `<div class="${cls} title">Prescribing advice</div>`;
    const logo = positions.has('logo')
      ? `<img src="${LOGO}" alt="${escapeAttr(brand)}" width="60" height="16">`
      : '';
    const bait =
      p.hiddenBait === 'hidden-span'
        ? '<span hidden>ProScript</span>'
        : p.hiddenBait === 'style-comment'
          ? '<style>/* Prescribing Decision Support */ .x{}</style>'
          : p.hiddenBait === 'template'
            ? '<template><p>Prescribing Decision Support</p></template>'
            : '';
    const body = `${logo}${heading}<p class="${cls}">${escapeText(message)}</p>${bait}<div class="${cls}">${buttons}</div>`;
    const legendWrapped = positions.has('legend')
      ? `<fieldset class="${cls}"><legend>${escapeText(brand)}</legend>${body}</fieldset>`
      : body;
    const label = positions.has('label')
      ? ` aria-label="${escapeAttr(brand)}"`
      : positions.has('labelledby')
        ? ` aria-labelledby="${headingId}"`
        : '';
    const wrap = (inner: string) => {
      let html = inner;
      for (let i = 0; i < p.depth; i++)
        html = `<div class="${MEANINGLESS[(p.cls + i) % MEANINGLESS.length]}">${html}</div>`;
      return html;
    };
    const note = p.note ? brand : null;
    let container: string;
    switch (p.shape) {
      case 'dialog':
        container = `<dialog open class="${cls}"${label}>${legendWrapped}</dialog>`;
        break;
      case 'role-dialog':
        container = `<div role="dialog" aria-modal="true" class="${cls}"${label}>${legendWrapped}</div>`;
        break;
      case 'alertdialog':
        container = `<div role="alertdialog" class="${cls}"${label}>${legendWrapped}</div>`;
        break;
      case 'popover':
        container = `<div popover="manual" data-popover-open class="${cls}"${label}>${legendWrapped}</div>`;
        break;
      case 'aside':
        container = `<aside class="${cls}"${label}>${legendWrapped}</aside>`;
        break;
      case 'region':
        container = `<section class="${cls}"${label || ' aria-label="Prescribing advice"'}>${legendWrapped}</section>`;
        break;
      case 'toast':
        container = `<div role="status" class="toast ${cls}"${label}>${legendWrapped}</div>`;
        break;
      case 'log':
        container = `<div role="log" aria-live="polite" class="${cls}"${label}>${legendWrapped}</div>`;
        break;
      case 'action-panel':
        container = `<div class="${cls}"${label}>${legendWrapped}</div>`;
        break;
      case 'shadow':
      case 'nested-shadow': {
        const levels = p.shape === 'shadow' ? 1 : p.shadowDepth + 1;
        let html = `<div role="dialog" class="${cls}"${label}>${legendWrapped}</div>`;
        for (let i = 0; i < levels; i++)
          html = `<rx-panel-${i}><template data-shadow>${html}</template></rx-panel-${i}>`;
        container = html;
        break;
      }
      default: {
        // A vendor-served frame: its own document carries the brand (title, logo, heading).
        const frameBody = `<header class="${cls}">${logo}</header><main class="${cls}">${positions.has('heading') ? heading : ''}<p>${escapeText(message)}</p>${bait}<div>${buttons || labels.join('')}</div></main>`;
        const frameTitle =
          p.frameTitle || !(positions.has('logo') || positions.has('heading')) ? brand : 'Advice';
        return {
          shape: 'frame',
          tool: p.tool,
          top: {
            html: clinicalPage(
              wrap(`<iframe title="Prescribing advice" width="400" height="200"></iframe>`),
              note,
            ),
            title: 'Medication',
            url: CLINICAL_URL,
          },
          frames: [
            { html: frameBody, title: frameTitle, url: `https://advice.example-vendor.com/panel/${p.cls}` },
          ],
        };
      }
    }
    return {
      shape: p.shape,
      tool: p.tool,
      top: { html: clinicalPage(wrap(container), note), title: 'Medication', url: CLINICAL_URL },
      frames: [],
    };
  })
  // A frame needs two places or buttons, and its brand must be shown (its document title
  // alone is not on screen).
  .filter((c) => {
    if (c.shape !== 'frame') return true;
    const frame = c.frames[0] as EvalDocument;
    const shown =
      (frame.html.includes('alt="') ? 1 : 0) + (/<h[1-4]|role="heading"/.test(frame.html) ? 1 : 0);
    const titled = SPELLINGS[c.tool as ToolId].includes(frame.title) ? 1 : 0;
    const buttons = /<button|type="button"|role="button"/.test(frame.html);
    return shown > 0 && (shown + titled >= 2 || buttons);
  });

/** Negatives: what the engine must never flag. */
const negativeArb = fc
  .record({
    kind: fc.constantFrom(
      'free-text-note',
      'letter',
      'table',
      'editor',
      'textarea',
      'pds-alert',
      'interaction-alert',
      'allergy-alert',
      'formulary-alert',
      'settings-screen',
      'reporting-screen',
      'optimizerx',
      'hidden-attr',
      'display-none',
      'class-hidden',
      'visibility-hidden',
      'template-copy',
      'closed-dialog',
      'closed-popover',
      'inert',
      'guidance-article',
    ),
    tool: fc.constantFrom<ToolId>('optimiserx', 'scriptswitch'),
    spelling: fc.nat(5),
    message: fc.nat(5),
    decoration: fc.constantFrom<Decoration>('plain', 'glyph', 'spaces', 'aria-label-icon'),
    depth: fc.nat(4),
    cls: fc.nat(MEANINGLESS.length - 1),
  })
  .map((n): Omit<EvalCase, 'id'> => {
    const brand = SPELLINGS[n.tool][n.spelling % SPELLINGS[n.tool].length] as string;
    const cls = MEANINGLESS[n.cls] as string;
    const message = KNOWN_MESSAGES[n.message] as string;
    const buttons = GENERIC_CONTROLS.slice(0, 3)
      .map((l) => control(l, n.decoration, cls))
      .join('');
    const prompt = (attrs: string) =>
      `<div role="dialog" aria-modal="true" aria-label="${escapeAttr(brand)}" class="${cls}"${attrs}><h2>${escapeText(brand)}</h2><img src="${LOGO}" alt="${escapeAttr(brand)}"><p>${escapeText(message)}</p>${n.tool === 'scriptswitch' ? SCRIPTSWITCH_CONTROLS.map((l) => control(l, n.decoration, cls)).join('') : buttons}</div>`;
    let inner: string;
    let head = '';
    switch (n.kind) {
      case 'free-text-note':
        inner = `<section aria-label="Consultation"><p>Discussed the ${escapeText(brand)} prompt: ${escapeText(message)} Patient happy to continue.</p></section>`;
        break;
      case 'letter':
        inner = `<article><h2>Letter to the practice</h2><p>Dear Dr Smith, the ${escapeText(brand)} message said: ${escapeText(message)}</p><p>Yours sincerely</p></article>`;
        break;
      case 'table':
        inner = `<table><caption>Decision support events</caption><tr><th>Tool</th><th>Message</th></tr><tr><td>${escapeText(brand)}</td><td>${escapeText(message)}</td></tr></table>`;
        break;
      case 'editor':
        inner = `<section aria-label="Consultation note"><div contenteditable="true"><h2>${escapeText(brand)}</h2><p>${escapeText(message)}</p><p>Accept</p><p>Reject</p></div></section>`;
        break;
      case 'textarea':
        inner = `<form><label>Note <textarea>${escapeText(brand)}: ${escapeText(message)}</textarea></label><button>Save</button></form>`;
        break;
      case 'pds-alert':
        inner = `<div role="alertdialog" aria-label="Prescribing Decision Support" class="${cls}"><h2>Prescribing Decision Support</h2><p>Interaction: warfarin and aspirin. ${escapeText(brand)} has no message for this item.</p>${buttons}</div>`;
        break;
      case 'interaction-alert':
        inner = `<div role="alertdialog" aria-label="Drug interaction" class="${cls}"><h2>Drug interaction</h2><p>Severe interaction between simvastatin and clarithromycin. ${escapeText(message)}</p>${buttons}</div>`;
        break;
      case 'allergy-alert':
        inner = `<div role="alert" class="${cls}"><h3>Allergy warning</h3><p>Recorded allergy: penicillins.</p>${buttons}</div>`;
        break;
      case 'formulary-alert':
        inner = `<div role="dialog" aria-label="Formulary check" class="${cls}"><h2>Formulary check</h2><p>${escapeText(message)}</p>${buttons}</div>`;
        break;
      case 'settings-screen':
        inner = `<section aria-label="Practice settings"><h2>Decision support</h2><h3>${escapeText(brand)}</h3><p>Shows cost-effective alternatives and formulary status at the point of prescribing.</p><label><input type="checkbox" checked> Enabled</label><button>Save settings</button></section>`;
        break;
      case 'reporting-screen':
        inner = `<main><h2>${escapeText(brand)} activity report</h2><table><tr><th>Month</th><th>Messages</th><th>Accepted</th></tr><tr><td>May</td><td>412</td><td>97</td></tr></table><button>Export</button></main>`;
        break;
      case 'optimizerx':
        inner = `<div role="dialog" aria-label="OptimizeRx"><h2>OptimizeRx</h2><img src="${LOGO}" alt="OptimizeRx"><p>${escapeText(message)}</p>${buttons}</div>`;
        break;
      case 'hidden-attr':
        inner = `<div hidden>${prompt('')}</div>`;
        break;
      case 'display-none':
        inner = `<div style="display: none">${prompt('')}</div>`;
        break;
      case 'class-hidden':
        head = '<style>.is-hidden { display: none; }</style>';
        inner = `<div class="is-hidden">${prompt('')}</div>`;
        break;
      case 'visibility-hidden':
        inner = prompt(' style="visibility:hidden"');
        break;
      case 'template-copy':
        inner = `<template id="prompt-template">${prompt('')}</template>`;
        break;
      case 'closed-dialog':
        inner = `<dialog class="${cls}" aria-label="${escapeAttr(brand)}"><h2>${escapeText(brand)}</h2><p>${escapeText(message)}</p>${n.tool === 'scriptswitch' ? SCRIPTSWITCH_CONTROLS.map((l) => control(l, n.decoration, cls)).join('') : buttons}</dialog>`;
        break;
      case 'closed-popover':
        inner = `<div popover="auto" class="${cls}" aria-label="${escapeAttr(brand)}"><h2>${escapeText(brand)}</h2><p>${escapeText(message)}</p>${buttons}</div>`;
        break;
      case 'inert':
        inner = `<div inert>${prompt('')}</div>`;
        break;
      default:
        inner = `<article><h1>${escapeText(brand)}</h1><p>${escapeText(brand)} shows messages such as: ${escapeText(message)}</p><p>Practices can accept or reject each message.</p></article>`;
    }
    let html = inner;
    for (let i = 0; i < n.depth; i++)
      html = `<div class="${MEANINGLESS[(n.cls + i) % MEANINGLESS.length]}">${html}</div>`;
    return {
      shape: n.kind,
      tool: null,
      top: { html: `${head}${clinicalPage(html, null)}`, title: 'Medication', url: CLINICAL_URL },
      frames: [],
    };
  });

export const DEFAULT_SEED = 20_261_203;

/** The corpus: `positives` prompts and `negatives` traps, the same for the same seed. */
export function generateCorpus(
  options: { seed?: number; positives?: number; negatives?: number } = {},
): EvalCase[] {
  const seed = options.seed ?? DEFAULT_SEED;
  const positives = fc.sample(positiveArb, { seed, numRuns: options.positives ?? 1400 });
  const negatives = fc.sample(negativeArb, { seed: seed + 1, numRuns: options.negatives ?? 900 });
  return [...positives, ...negatives].map((c, id) => ({ ...c, id }));
}

/**
 * Attaches the shadow roots written as `<template data-shadow>`: each template's content
 * becomes an open shadow root of its parent. Iterative, so any depth works. Also given to
 * Chromium as source (see attachShadowsSource).
 */
export function attachShadows(root: Document | ShadowRoot | Element): void {
  const queue: (Document | ShadowRoot | Element)[] = [root];
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const template of Array.from(next.querySelectorAll('template[data-shadow]'))) {
      const host = template.parentElement;
      if (!host) continue;
      const shadow = host.attachShadow({ mode: 'open' });
      shadow.append((template as HTMLTemplateElement).content.cloneNode(true));
      template.remove();
      queue.push(shadow);
    }
  }
}
