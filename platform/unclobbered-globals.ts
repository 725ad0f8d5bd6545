/**
 * Runs before webextension-polyfill is evaluated (platform/extension-api.ts imports it
 * first). A page's named elements are visible as globals in a content script's world:
 * `<form id="browser"><input name="runtime" id="x"></form>` or `<iframe name="browser">`
 * makes `globalThis.browser` an element or a window, and the polyfill (which uses
 * `globalThis.browser` whenever `browser.runtime.id` is truthy) would take it for the
 * extension API. DOM clobbering only ever yields elements, windows and collections,
 * never functions, so an API whose `runtime.getURL` is not a function is not ours:
 * shadow it in this (the extension's own) world so the polyfill wraps `chrome`.
 * Chromium's and Firefox's own `chrome` / `browser` are properties of the content
 * script's global itself, which named elements never override.
 */
export function isExtensionApi(candidate: unknown): boolean {
  try {
    const runtime = (candidate as { runtime?: { getURL?: unknown; id?: unknown } } | undefined)?.runtime;
    return typeof runtime?.getURL === 'function' && typeof runtime.id === 'string';
  } catch {
    return false;
  }
}

const global = globalThis as { browser?: unknown };
if (global.browser !== undefined && !isExtensionApi(global.browser)) {
  Object.defineProperty(globalThis, 'browser', { value: undefined, writable: true, configurable: true });
}
