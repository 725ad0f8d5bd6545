/**
 * Why the browser cannot parse `selector`, or undefined when it can. Parses against an
 * empty fragment, so a check never walks a page. Without a DOM (a service worker) only
 * the obvious is refused; the engine, which has a DOM, rejects the rest signature by
 * signature.
 */
export function selectorError(
  selector: string,
  doc: Document | undefined = globalThis.document,
): string | undefined {
  if (!doc) return /[{}]/.test(selector) ? 'not a valid CSS selector' : undefined;
  try {
    doc.createDocumentFragment().querySelector(selector);
    return undefined;
  } catch (error) {
    return `not a valid CSS selector: ${(error as Error).message}`;
  }
}
