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

  it('asks one document-wide attribute query per slice when each slice is spent at once, and finds what one pass finds', () => {
    document.body.innerHTML = PAGE;
    const catalogue = compileCatalogue(builtInSignatures, globalExclusions, document);
    expect(catalogue.attributeQueries.length).toBeGreaterThan(1);
    const whole = searchTree(catalogue, document);

    const queries = vi.spyOn(document, 'querySelectorAll');
    const job = startSearch(catalogue, document);
    job.step(() => true);
    expect(queries).toHaveBeenCalledTimes(1);

    let slices = 1;
    while (!job.done() && slices < 10_000) {
      job.step(() => true);
      slices++;
    }
    expect(job.done()).toBe(true);
    expect(queries).toHaveBeenCalledTimes(catalogue.attributeQueries.length);
    const key = (h: { signatureIndex: number; evidenceIndex: number; element: Element }) =>
      `${h.signatureIndex}/${h.evidenceIndex}/${h.element.outerHTML.slice(0, 40)}`;
    expect(job.found.hits.map(key).sort()).toEqual(whole.hits.map(key).sort());
  });
});
