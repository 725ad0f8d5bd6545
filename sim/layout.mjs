// @ts-check
/**
 * The simulated system's shared page parts (sim/parts): a page names one with a line
 * `<!-- sim:part NAME -->`, and the server sends the part's lines in its place, so the
 * pages of a layout share one head, system bar, patient banner and medication list
 * instead of each holding a copy. Parts are text, inserted before the browser sees the
 * page: nothing runs, and the page's scripts and the extension see one ordinary document.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// From the path, not `new URL(…, import.meta.url)`: tests load this under happy-dom, whose URL is not Node's.
const SIM_DIR = path.dirname(fileURLToPath(import.meta.url));
export const PAGES_DIR = path.join(SIM_DIR, 'pages', path.sep);
const PARTS_DIR = path.join(SIM_DIR, 'parts');
const PART_LINE = /^<!-- sim:part ([a-z0-9-]+) -->$/gm;

/**
 * A page's text with each part line replaced by that part.
 * @param {string} html
 * @returns {string}
 */
export function composeSimPage(html) {
  // A part may name smaller parts (the record header names the system bar).
  for (let depth = 0; depth < 4 && PART_LINE.test(html); depth += 1) {
    html = html.replace(PART_LINE, (_, /** @type {string} */ name) =>
      readFileSync(path.join(PARTS_DIR, `${name}.html`), 'utf8').replace(/\n$/, ''),
    );
  }
  return html;
}

/**
 * A sim page as the server sends it, for tests that load it without a server.
 * @param {string} name file name under sim/pages, e.g. 'unknown-prompt.html'
 * @returns {string}
 */
export function readSimPage(name) {
  return composeSimPage(readFileSync(path.join(PAGES_DIR, name), 'utf8'));
}
