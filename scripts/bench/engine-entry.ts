/**
 * Entry of the in-page engine bundle the benchmark injects (scripts/bench/engine.mjs
 * bundles it into an IIFE exposing `window.__moEngine`). The same lib/content/detect and
 * lib/catalogue the content script ships, with nothing extension-specific.
 */
import { builtInSignatures, globalExclusions } from '../../lib/catalogue';
import type { Evidence, Signature } from '../../lib/catalogue/schema';
import { compileCatalogue } from '../../lib/content/detect/compile';
import { frameContextOf, scan } from '../../lib/content/detect/scan';
import { createWatcher } from '../../lib/content/detect/watcher';

function cloneEvidence(evidence: Evidence, n: number): Evidence {
  const vendor = `vendor${n}`;
  switch (evidence.kind) {
    case 'brand':
      return { ...evidence, text: { match: 'regex', value: `\\b${vendor} ?rx\\b` } };
    case 'controls':
      return { ...evidence, labels: evidence.labels.map((label) => `${label} ${n}`) };
    case 'token':
      return { ...evidence, value: `${vendor}-${evidence.value}` };
    case 'attribute':
      return { ...evidence, contains: `${vendor}` };
    case 'url':
      return { ...evidence, contains: `${vendor}.example` };
    case 'pageUrl':
      return { ...evidence, contains: `${vendor}.example` };
    default:
      // Selectors (and any kind added later) are kept as they are.
      return evidence;
  }
}

/**
 * A catalogue of `size` signatures: 1 = ScriptSwitch alone; more = the built-ins plus
 * clones with their own tool ids, brand words, control labels, tokens and URLs, so
 * every clone adds its own selectors and patterns (as a real new tool would).
 */
export function syntheticSignatures(size: number): Signature[] {
  if (size <= 1) return builtInSignatures.filter((s) => s.toolId === 'scriptswitch').slice(0, 1);
  const out: Signature[] = builtInSignatures.slice(0, size);
  for (let n = out.length; n < size; n++) {
    const base = builtInSignatures[n % builtInSignatures.length] as Signature;
    out.push({
      ...base,
      id: `synthetic-${n}`,
      toolId: `synthetic-${n}`,
      evidence: base.evidence.map((e) => cloneEvidence(e, n)),
    });
  }
  return out;
}

export { builtInSignatures, compileCatalogue, createWatcher, frameContextOf, globalExclusions, scan };
