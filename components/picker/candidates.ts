import { GENERIC_CONTAINER_SELECTOR, PROMPT_CONTAINER_SELECTOR } from '../../lib/content/detect/compile';
import { containerOf } from '../../lib/content/detect/scan';

/**
 * Where the picker can land: prompt-like containers first (dialogs, alerts, labelled
 * regions, asides), in document order, skipping the picker's own host and what is not
 * laid out. Keyboard users step through this list.
 */
export function candidateContainers(doc: Document, exclude?: Element): Element[] {
  const seen = new Set<Element>();
  const out: Element[] = [];
  for (const el of doc.querySelectorAll(`${PROMPT_CONTAINER_SELECTOR},${GENERIC_CONTAINER_SELECTOR}`)) {
    if (exclude?.contains(el) || seen.has(el)) continue;
    const container = containerOf(el).container;
    if (container !== el || !isShown(el)) continue;
    seen.add(el);
    out.push(el);
  }
  return out;
}

function isShown(el: Element): boolean {
  const rect = el.getBoundingClientRect();
  // happy-dom lays nothing out: treat zero-size as shown there (no layout engine at all).
  if (rect.width === 0 && rect.height === 0) return !hasLayout(el.ownerDocument);
  return true;
}

function hasLayout(doc: Document): boolean {
  return (doc.body?.getBoundingClientRect().width ?? 0) > 0;
}

/**
 * The page element under a point, looking through the picker's overlay (which sits on
 * top to catch the click) and into open shadow roots.
 */
export function pageElementAt(
  doc: Document,
  x: number,
  y: number,
  overlayHost: Element,
): Element | undefined {
  if (typeof doc.elementsFromPoint !== 'function') return undefined;
  let found = doc.elementsFromPoint(x, y).find((el) => !overlayHost.contains(el) && el !== overlayHost);
  while (found?.shadowRoot) {
    const inner = found.shadowRoot.elementsFromPoint(x, y).find((el) => el !== found);
    if (!inner || inner === found) break;
    found = inner;
  }
  return found;
}

/** A short name for a candidate, for the picker's status line. */
export function describeCandidate(el: Element): string {
  const role = el.getAttribute('role') ?? el.localName;
  const label = (
    el.getAttribute('aria-label') ??
    labelledByText(el) ??
    el.querySelector('h1,h2,h3,h4,h5,h6')?.textContent ??
    ''
  )
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60);
  return label ? `${role} “${label}”` : role;
}

function labelledByText(el: Element): string | undefined {
  const ids = el.getAttribute('aria-labelledby');
  if (!ids) return undefined;
  return ids
    .split(/\s+/)
    .map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '')
    .join(' ');
}
