/**
 * Accessible names, roughly as a screen reader would announce them: what a person reads
 * on a control or heading, not its raw textContent. Icon glyphs ("✓ Accept"), parts
 * marked aria-hidden, hidden parts and extra whitespace are left out; an image's alt
 * text stands in for the image. Bounded: only short text can be a label.
 */

/** Symbols and pictographs icon fonts and emoji put beside a label's words (✓, ✕, ®, →, private-use icons). */
const GLYPHS = /[\p{So}\p{Sm}\p{Co}\p{Extended_Pictographic}]/gu;

/** Tags whose text is never shown as part of a name. */
const UNSHOWN_TAGS = new Set(['style', 'script', 'template', 'noscript', 'svg', 'title']);
/** Tags that break words apart in rendering: "Edit<br>Original" reads "Edit Original". */
const BREAKING_TAGS = new Set([
  'br',
  'div',
  'p',
  'li',
  'td',
  'th',
  'tr',
  'section',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);

/** Removes icon glyphs; callers normalise whitespace and case. */
export function withoutGlyphs(text: string): string {
  return text.replace(GLYPHS, ' ');
}

/**
 * The text a person reads inside `element`: descendants marked aria-hidden or hidden,
 * and unshown tags, are skipped; images give their alt text. Iterative: depth never
 * matters. Stops once `limit` characters are read.
 */
export function shownText(element: Element, limit: number): string {
  // The common case (a heading or button holding one text node) costs one native read.
  if (element.firstElementChild === null) return (element.textContent ?? '').slice(0, limit);
  let text = '';
  let node: Node | null = element.firstChild;
  while (node && text.length < limit) {
    let descend = false;
    if (node.nodeType === 3) text += (node as Text).data;
    else if (node.nodeType === 1) {
      const child = node as Element;
      const tag = child.localName;
      if (tag === 'img' || (tag === 'input' && child.getAttribute('type')?.toLowerCase() === 'image'))
        text += ` ${child.getAttribute('alt') ?? ''} `;
      else if (
        !UNSHOWN_TAGS.has(tag) &&
        !child.hasAttribute('hidden') &&
        child.getAttribute('aria-hidden') !== 'true'
      ) {
        if (BREAKING_TAGS.has(tag)) text += ' ';
        descend = child.firstChild !== null;
      }
    }
    if (descend) {
      node = node.firstChild;
      continue;
    }
    // Next node in document order within `element`, without recursion.
    while (node && node !== element && node.nextSibling === null) node = node.parentNode;
    node = node && node !== element ? node.nextSibling : null;
  }
  return text.slice(0, limit);
}
