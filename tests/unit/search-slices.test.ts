import { afterEach, describe, expect, it, vi } from 'vitest';
import { builtInSignatures, globalExclusions } from '../../lib/catalogue';
import { compileCatalogue } from '../../lib/content/detect/compile';
import { searchTree, startSearch } from '../../lib/content/detect/scan';

const PAGE = `<main><table>${'<tr><td><a href="#">Row</a></td><td aria-label="dose">5 mg</td></tr>'.repeat(50)}</table>
  <div role="dialog"><h2>ScriptSwitch</h2><button>Accept</button><button>Edit Original</button></div></main>`;

describe('a full search in time slices', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    document.body.innerHTML = '';
  });

  it('asks no document-wide query, stops whenever a slice is spent, and finds what one pass finds', () => {
    document.body.innerHTML = PAGE;
    const catalogue = compileCatalogue(builtInSignatures, globalExclusions, document);
    const whole = searchTree(catalogue, document);
    expect(whole.hits.length).toBeGreaterThan(2);

    const queries = vi.spyOn(document, 'querySelectorAll');
    const job = startSearch(catalogue, document);
    let slices = 0;
    while (!job.done() && slices < 10_000) {
      job.step(() => true);
      slices++;
    }
    expect(job.done()).toBe(true);
    expect(queries).not.toHaveBeenCalled();
    // 50 rows of five elements and the dialog: a walk that stops every 64 elements.
    expect(slices).toBeGreaterThan(3);
    const key = (h: { signatureIndex: number; evidenceIndex: number; element: Element }) =>
      `${h.signatureIndex}/${h.evidenceIndex}/${h.element.outerHTML.slice(0, 40)}`;
    expect(job.found.hits.map(key).sort()).toEqual(whole.hits.map(key).sort());
  });
});
