import { originPatternFor } from '../../lib/match-pattern';

/**
 * What kind of page the popup reports on:
 * - `web`: an http(s) page the extension may watch;
 * - `extension`: this extension's own page (the popup opened in a tab, e.g. for guidance);
 * - `unsupported`: a page no extension may read (browser pages, stores, local files), or
 *   one whose address the browser does not reveal.
 */
export type PageKind = 'web' | 'extension' | 'unsupported';

export function pageKind(url: string | undefined, extensionBaseUrl: string): PageKind {
  if (!url) return 'unsupported';
  if (extensionBaseUrl && url.startsWith(extensionBaseUrl)) return 'extension';
  return originPatternFor(url) ? 'web' : 'unsupported';
}
