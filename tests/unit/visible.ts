import { expect } from 'vitest';

/**
 * Asserts that an element found by a query is drawn: neither it nor an ancestor is
 * `hidden`, `display: none` or `visibility: hidden` (whether it is in the accessibility
 * tree is `getByRole`'s part). A `getBy…` query already fails when nothing matches, so
 * this is what a test adds by asserting on what it found.
 */
export function expectVisible(element: Element): void {
  expect(element.isConnected, 'the element is in the document').toBe(true);
  for (let node: Element | null = element; node; node = node.parentElement) {
    const name = node.tagName.toLowerCase();
    expect(node.hasAttribute('hidden'), `<${name}> is hidden`).toBe(false);
    const style = getComputedStyle(node);
    expect(style.display, `<${name}> has display: none`).not.toBe('none');
    expect(style.visibility, `<${name}> has visibility: hidden`).not.toBe('hidden');
  }
}
