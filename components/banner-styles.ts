/**
 * The banner's stylesheet, injected as a <style> inside its shadow root (no fetch).
 * Looks like the NHS design system (nhsuk-frontend) and the GOV.UK notification banner:
 * a white panel under an NHS blue rule, Frutiger-like type, and the yellow-and-dark-
 * underline focus style (yellow only for focus).
 *
 * Host rules are `!important`: inside a shadow root, important declarations beat the
 * page's, so no page stylesheet can hide, move or re-flow the host. The host is a
 * zero-size fixed box: it never takes space in the page's layout.
 */

export const NHS_COLOURS = {
  blue: '#005eb8',
  darkBlue: '#003087',
  text: '#212b32',
  secondaryText: '#4c6272',
  yellow: '#ffeb3b',
  paleYellow: '#fff9c4',
  grey1: '#768692',
  grey3: '#d8dde0',
  grey4: '#e8edee',
  grey5: '#f0f4f5',
  white: '#ffffff',
} as const;

const c = NHS_COLOURS;

export const BANNER_CSS = `
:host {
  all: initial !important;
  display: block !important;
  position: fixed !important;
  top: 0 !important;
  left: 0 !important;
  width: 0 !important;
  height: 0 !important;
  margin: 0 !important;
  padding: 0 !important;
  border: 0 !important;
  overflow: visible !important;
  visibility: visible !important;
  opacity: 1 !important;
  transform: none !important;
  filter: none !important;
  z-index: 2147483647 !important;
}

.banner, .banner * { box-sizing: border-box; }

/* A quiet panel (GOV.UK notification banner, NHS palette): white, an NHS blue rule on
   top, the heading first and largest. Never the focus yellow, which reads as an alert. */
.banner {
  position: fixed;
  right: 8px;
  bottom: 8px;
  width: min(420px, calc(100vw - 16px));
  margin: 0;
  padding: 12px 16px 8px;
  font-family: "Frutiger W01", Arial, sans-serif;
  font-size: 16px;
  font-weight: 400;
  line-height: 1.5;
  text-align: left;
  color: ${c.text};
  background: ${c.white};
  border: 1px solid ${c.grey3};
  border-top: 4px solid ${c.blue};
  border-radius: 0;
  box-shadow: 0 2px 6px rgba(33, 43, 50, 0.2);
  -webkit-font-smoothing: antialiased;
  overflow-wrap: break-word;
  pointer-events: auto;
}
/* While the banner measures the page under it, hit tests pass through it. */
.banner.measuring, .banner.measuring * { pointer-events: none !important; }

.banner--quiet { border-top-color: ${c.grey1}; }

.title {
  margin: 0 0 4px;
  font-size: 19px;
  font-weight: 600;
  line-height: 1.32;
  color: ${c.text};
}

.lead { margin: 0 0 8px; font-size: 16px; line-height: 1.5; }

/* The tab: the heading and where the details are, against an edge. */
.banner--tab {
  width: auto;
  max-width: 200px;
  padding: 4px 8px;
  border-top-width: 3px;
}
.banner--tab .title { margin: 0; font-size: 14px; line-height: 1.3; }
.tab-note { margin: 0; font-size: 12px; line-height: 1.3; color: ${c.secondaryText}; }

.notice {
  padding: 4px 8px;
  border-left: 4px solid ${c.blue};
  background: ${c.grey5};
}

p { margin: 0 0 8px; }
.small { font-size: 14px; line-height: 1.43; }
.muted { color: ${c.secondaryText}; }

.tools, .mandated { list-style: none; margin: 0 0 8px; padding: 0; }

.tool {
  margin: 0 0 8px;
  padding: 0 0 8px;
  border-bottom: 1px solid ${c.grey4};
}

.tool-name { margin: 0 0 4px; font-size: 16px; font-weight: 600; line-height: 1.375; }
.vendor { display: block; font-size: 14px; font-weight: 400; color: ${c.secondaryText}; }

.tool-head { display: flex; align-items: flex-start; gap: 8px; margin: 0 0 4px; }
.tool-head .tool-name { flex: 1 1 auto; min-width: 0; margin: 0; }
.tool-head button { flex: 0 0 auto; font-size: 14px; min-height: 32px; padding: 2px 10px; }
.guidance { margin: 0; }

.mandated-note {
  margin: 0 0 8px;
  padding: 8px 12px;
  background: ${c.grey5};
  border-left: 4px solid ${c.blue};
  font-size: 14px;
  line-height: 1.43;
}

.actions { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 4px 0 8px; }
.source { margin: 0; }

a {
  color: ${c.blue};
  text-decoration: underline;
  text-underline-offset: 0.1em;
}
a:visited { color: #330072; }
a:hover { color: #7c2855; text-decoration-thickness: 3px; }

button {
  display: inline-block;
  min-height: 36px;
  margin: 0;
  padding: 4px 12px;
  font-family: inherit;
  font-size: 16px;
  font-weight: 600;
  line-height: 1.5;
  color: ${c.blue};
  background: ${c.white};
  border: 2px solid ${c.blue};
  border-radius: 4px;
  cursor: pointer;
  -webkit-appearance: none;
  appearance: none;
}
button:hover { color: ${c.white}; background: ${c.darkBlue}; border-color: ${c.darkBlue}; }
button { font-size: 14px; min-height: 32px; padding: 2px 10px; }

/* nhsuk-frontend focus: yellow with a dark underline; transparent outline for forced-colours mode. */
a:focus, a:focus-visible {
  outline: 3px solid transparent;
  color: ${c.text};
  background-color: ${c.yellow};
  box-shadow: 0 -2px ${c.yellow}, 0 4px ${c.text};
  text-decoration: none;
}
button:focus, button:focus-visible {
  outline: 3px solid transparent;
  outline-offset: 3px;
  color: ${c.text};
  background-color: ${c.yellow};
  border-color: ${c.yellow};
  box-shadow: 0 0 0 3px ${c.yellow}, 0 3px 0 3px ${c.text};
}
button:focus:not(:focus-visible) {
  color: ${c.blue};
  background: ${c.white};
  border-color: ${c.blue};
  box-shadow: none;
}

.vh {
  position: absolute !important;
  width: 1px !important;
  height: 1px !important;
  margin: 0 !important;
  padding: 0 !important;
  overflow: hidden !important;
  clip: rect(0 0 0 0) !important;
  clip-path: inset(50%) !important;
  border: 0 !important;
  white-space: nowrap !important;
}

@media (forced-colors: active) {
  .banner { border: 2px solid CanvasText; }
}

/* Prescriptions and records get printed: the banner never goes on paper. */
@media print {
  .banner { display: none !important; }
}
`;
