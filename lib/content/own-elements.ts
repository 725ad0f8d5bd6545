/**
 * Elements the extension itself put on the page (the picker's host), shared by its
 * content scripts through their own global: in a content script that is the
 * extension's isolated world (Chromium) or sandbox (Firefox), which the page can
 * neither read nor write. The detector skips them by identity, so a page cannot hide
 * a prompt by giving its element one of our names, nor claim one of ours.
 */
const KEY = Symbol.for('mo-prompt-advisor.own-elements');

export function ownElements(): WeakSet<Element> {
  const global = globalThis as { [KEY]?: WeakSet<Element> };
  if (!global[KEY]) Object.defineProperty(globalThis, KEY, { value: new WeakSet<Element>() });
  return global[KEY] as WeakSet<Element>;
}
