// Order matters: the shadowing of clobbered globals must run before the polyfill reads them.
import './unclobbered-globals';
import polyfill from 'webextension-polyfill';
import type { WxtBrowser } from 'wxt/browser';

/**
 * What `import { browser } from 'wxt/browser'` resolves to in the build (see the alias in
 * wxt.config.ts): webextension-polyfill's API, taken from a source the page cannot clobber.
 */
export const browser = polyfill as unknown as WxtBrowser;
