// @ts-check
/**
 * The reference row: the obvious detector. On every MutationObserver callback it
 * re-runs the engine's full scan() over the whole document. Same engine, same
 * catalogue as ours; only the strategy differs. Injected into the page's main world
 * after the engine bundle (window.__moEngine); keeps its own tally in window.__naive.
 */
function naiveDetector() {
  const E = /** @type {any} */ (window).__moEngine;
  const catalogue = E.compileCatalogue(E.builtInSignatures, E.globalExclusions, document);
  const stats = { scans: 0, totalMs: 0, findings: 0 };
  const run = () => {
    const t0 = performance.now();
    const findings = E.scan(catalogue, document, E.frameContextOf(document));
    stats.totalMs += performance.now() - t0;
    stats.scans++;
    stats.findings = findings.length;
  };
  run();
  new MutationObserver(run).observe(document, {
    childList: true,
    subtree: true,
    attributes: true,
    characterData: true,
  });
  Object.assign(window, { __naive: stats });
}

export const NAIVE_SOURCE = `(${naiveDetector.toString()})();\n`;
