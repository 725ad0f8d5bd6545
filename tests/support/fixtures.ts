import { readFileSync } from 'node:fs';

/** Parses an HTML fixture into its own document; `data-shadow` content becomes an open shadow root. */
export function loadFixture(path: string): Document {
  // A parsed document has no browsing context: iframes in fixtures are never loaded.
  const doc = new DOMParser().parseFromString(readFileSync(path, 'utf8'), 'text/html');
  // Fixtures mark web components' shadow content in data-shadow; attach it as an open root.
  for (const host of doc.querySelectorAll('[data-shadow]')) {
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = host.getAttribute('data-shadow') ?? '';
  }
  return doc;
}
