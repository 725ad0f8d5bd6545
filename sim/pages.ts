/**
 * Manifest of the simulated clinical system's pages (sim/pages). Shared by the demo
 * tour (scripts/start.mjs), the e2e tests (tests/e2e) and the benchmark.
 *
 * Keep this file free of runtime imports: scripts run by plain Node load it by
 * transpiling it on the fly (scripts/lib/load-ts.mjs).
 */

/** What the banner must show for a page: each listed tool with verdict "flagged"; `{}` = no banner. */
export type SimExpectation = Readonly<Record<string, 'flagged'>>;

export interface SimPage {
  /** Path relative to the sim server root, e.g. "scriptswitch-modal.html". */
  path: string;
  /** The case in a few words. */
  title: string;
  /** Tools the banner must list (verdict "flagged"); `{}` = the page must show no banner. */
  expect: SimExpectation;
  /**
   * CSS selector, in the top document, of the prompt element, or of the iframe / shadow
   * host that holds it: for bounding-box checks (the banner must not cover it).
   */
  promptSelector?: string;
  /**
   * CSS selector (top document) that exists once the page has reached its final state,
   * for pages whose prompt appears late. Wait for it before judging the verdict.
   */
  readySelector?: string;
  /**
   * Custom-signature teaching material: a signature that should recognise the page's
   * unknown prompt once a practice adds it (options page / policy).
   */
  teach?: { toolId: string; vendorAttribute: string; heading: string; buttons: readonly string[] };
  notes: string;
}

export const simPages: readonly SimPage[] = [
  {
    path: 'scriptswitch-modal.html',
    title: 'ScriptSwitch recommendation in a modal dialog',
    expect: { scriptswitch: 'flagged' },
    promptSelector: '#recommendation-dialog',
    notes:
      'The documented Vision screen: role=dialog aria-modal, labelled by an h2 "ScriptSwitch", buttons Accept / Edit Original / Prescribe Original. No vendor class tokens: documented cues alone. Pressing a button closes it.',
  },
  {
    path: 'optimiserx-inline.html',
    title: 'OptimiseRx inline formulary message',
    expect: { optimiserx: 'flagged' },
    promptSelector: '#orx-panel',
    notes:
      '<aside aria-label="OptimiseRx message" class="optimiserx-message"> beside the drug entry form, heading "OptimiseRx", formulary RED and AMBER statuses. All OptimiseRx cues are inferred (no public markup).',
  },
  {
    path: 'iframe-same-origin.html',
    title: 'ScriptSwitch screen in a same-origin iframe',
    expect: { scriptswitch: 'flagged' },
    promptSelector: '#vendor-frame',
    notes:
      'The top document has only <iframe title="ScriptSwitch"> in a plain div (not enough on its own); the frame /frames/scriptswitch-frame.html (title "ScriptSwitch") holds the dialog and the three buttons. Proves sub-frame detection reaches the top-frame banner.',
  },
  {
    path: 'iframe-cross-origin.html',
    title: 'OptimiseRx message in a cross-origin iframe',
    expect: { optimiserx: 'flagged' },
    promptSelector: '#vendor-frame',
    readySelector: '#vendor-frame',
    notes:
      'Page at http://127.0.0.1:PORT embeds http://localhost:PORT/frames/optimiserx-frame.html (src computed at runtime by swapping 127.0.0.1 <-> localhost). The top document cannot read the frame: detection must run in the frame.',
  },
  {
    path: 'inherited-frame-about-blank.html',
    title: 'ScriptSwitch screen written into an about:blank iframe',
    expect: { scriptswitch: 'flagged' },
    promptSelector: '#vendor-frame',
    readySelector: '#vendor-frame[data-ready]',
    notes:
      'An iframe with no src; the page writes the ScriptSwitch dialog into its document 300 ms later. The frame has no URL of its own (about:blank, origin of the parent): the detector reaches it only through matchOriginAsFallback in the run-time registration.',
  },
  {
    path: 'inherited-frame-srcdoc.html',
    title: 'ScriptSwitch screen in a srcdoc iframe',
    expect: { scriptswitch: 'flagged' },
    promptSelector: '#vendor-frame',
    readySelector: '#vendor-frame[data-ready]',
    notes:
      'An iframe with a srcdoc attribute holding the ScriptSwitch dialog (about:srcdoc, origin of the parent): reached through matchOriginAsFallback.',
  },
  {
    path: 'inherited-frame-blob.html',
    title: 'ScriptSwitch screen in a blob: iframe',
    expect: { scriptswitch: 'flagged' },
    promptSelector: '#vendor-frame',
    readySelector: '#vendor-frame[data-ready]',
    notes:
      'The page builds the ScriptSwitch screen as a Blob and loads it in an iframe from its blob: URL (origin of the parent): reached through matchOriginAsFallback.',
  },
  {
    path: 'shadow-component.html',
    title: 'ScriptSwitch screen inside a web component (open shadow root)',
    expect: { scriptswitch: 'flagged' },
    promptSelector: 'rx-advice-panel',
    notes:
      '<rx-advice-panel> with an open shadow root holding role=dialog, heading "ScriptSwitch" and the three buttons.',
  },
  {
    path: 'late-route-change.html',
    title: 'Single-page app: OptimiseRx prompt appears after a route change',
    expect: { optimiserx: 'flagged' },
    promptSelector: '#late-prompt-dialog',
    readySelector: '#late-prompt-dialog',
    notes:
      'Starts on "Patient summary" (no prompt, body[data-sim-state=summary]); after 600 ms pushState(#/prescribe) renders the prescribing screen; 400 ms later a role=dialog OptimiseRx prompt is inserted (data-sim-state=prompt, window.__simPromptShownAt). ?manual=1 disables the automatic navigation.',
  },
  {
    path: 'frame-branded-panel.html',
    title: 'OptimiseRx panel served in a frame: brand in its title and logo only',
    expect: { optimiserx: 'flagged' },
    promptSelector: '#vendor-frame',
    notes:
      'The top page has only <iframe title="Prescribing advice">. The frame (frames/branded-panel.html) has document title "OptimiseRx", a logo whose alt is "OptimiseRx", a formulary RED message and Accept / Reject / Feedback buttons, in elements whose classes say nothing. The frame\'s own document is the container.',
  },
  {
    path: 'popover-prompt.html',
    title: 'OptimiseRx message in a Popover API element',
    expect: { optimiserx: 'flagged' },
    promptSelector: '#orx-popover',
    readySelector: 'body[data-sim-state="shown"]',
    notes:
      '<div popover> headed "OptimiseRx", shown with showPopover() 300 ms after load (hidden until then: flagged only once shown).',
  },
  {
    path: 'icon-buttons.html',
    title: 'ScriptSwitch buttons with icons and extra whitespace',
    expect: { scriptswitch: 'flagged' },
    promptSelector: '#switch-dialog',
    notes:
      'role=dialog with "✓ Accept", an aria-hidden icon before "Edit    Original", and an icon-only button aria-label="Prescribe Original": matched by accessible name. No brand anywhere.',
  },
  {
    path: 'hidden-text-veto.html',
    title: 'ScriptSwitch prompt holding hidden text that names excluded products',
    expect: { scriptswitch: 'flagged' },
    promptSelector: '#ss-dialog',
    notes:
      'A <style> whose comment says "Prescribing Decision Support" and <span hidden>ProScript</span> inside a real ScriptSwitch dialog: exclusions read rendered text only, so neither vetoes it.',
  },
  {
    path: 'negative-hidden-dialogs.html',
    title:
      'Prompts no one can see: display:none, closed <dialog>, hidden, class-hidden, unopened popover, template',
    expect: {},
    promptSelector: '#closed-dialog',
    notes:
      'Each hidden in a different way. #closed-dialog is a ScriptSwitch <dialog> never opened: the e2e opens it (flag appears) and closes it (flag withdrawn within a second).',
  },
  {
    path: 'negative-contenteditable-note.html',
    title: 'Consultation note being typed in a contenteditable editor',
    expect: {},
    notes:
      'A labelled section holding a contenteditable note whose typed heading is "OptimiseRx", with "Accept" and "Reject" lines: editable content is never evidence.',
  },
  {
    path: 'unknown-prompt.html',
    title: 'Unknown MO-like prompt ("Formulary nudge")',
    expect: {},
    promptSelector: '#formulary-nudge',
    teach: {
      toolId: 'formularynudge',
      vendorAttribute: 'formularynudge',
      heading: 'Formulary nudge',
      buttons: ['Switch', 'Keep'],
    },
    notes:
      'A fictional tool: <aside data-vendor="formularynudge" aria-labelledby> with heading "Formulary nudge" and buttons Switch / Keep. No built-in signature knows it; used to teach a custom signature.',
  },
  {
    path: 'negative-free-text.html',
    title: 'Tool names in free text (note, letter, table, guidance article)',
    expect: {},
    notes:
      'OptimiseRx, ScriptSwitch and "Prescribe Original" appear only in running text: paragraphs, a textarea, table cells, and an <article> with <h2>About OptimiseRx</h2> (a heading in an article alone must not trigger).',
  },
  {
    path: 'negative-emis-pds.html',
    title: "The clinical system's own Prescribing Decision Support alert",
    expect: {},
    promptSelector: '#pds-alert',
    notes:
      'role=alertdialog aria-modal titled "Prescribing Decision Support" with a severe interaction warning and buttons Accept / Change drug / Cancel: the system\'s own safety check, never MO software.',
  },
  {
    path: 'negative-optimizerx.html',
    title: 'OptimizeRx (with a z), the unrelated US company',
    expect: {},
    promptSelector: '#company-dialog',
    notes:
      'Supplier directory page with a role=dialog whose heading is "OptimizeRx" (class optimizerx-profile). Note: the page URL itself contains "optimizerx".',
  },
  {
    path: 'negative-plain-prescribing.html',
    title: 'Prescribing screen without any prompt',
    expect: {},
    notes: 'Same prescribing screen as the positive cases, no prompt at all.',
  },
  {
    path: 'index.html',
    title: 'Index of cases (tour start)',
    expect: {},
    notes: 'Links to every case; tool names appear only in link text and list items.',
  },
];

/** Tool ids a page expects, sorted. */
export function expectedTools(page: SimPage): string[] {
  return Object.keys(page.expect).sort();
}
