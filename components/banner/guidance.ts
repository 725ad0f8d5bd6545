import { sources } from '../../lib/guidance/sources';

/**
 * The banner's links and source line, in one place so they can be swapped (for
 * example for the extension's own guidance pages) without touching the components.
 *
 * The banner lives in a web page: a link to a chrome-extension:// page that is not
 * web-accessible is blocked there, and making the popup web-accessible would let any
 * page detect the extension. So tool guidance points at the BMA's public page for now;
 * opening `popup.html#guidance-<toolId>` needs a message to the background (see the
 * banner's report to the lead).
 */

/** BMA: how to take part in GP collective action (the source of the June 2026 step). */
export const BMA_COLLECTIVE_ACTION_URL: string = sources.bmaHowToTakePart.url;

/** Per-tool guidance; tools not listed (custom tools) share the general page. */
const TOOL_GUIDANCE_URLS: Readonly<Record<string, string>> = {
  optimiserx: BMA_COLLECTIVE_ACTION_URL,
  scriptswitch: BMA_COLLECTIVE_ACTION_URL,
};

export function guidanceUrlFor(toolId: string): string {
  return TOOL_GUIDANCE_URLS[toolId] ?? BMA_COLLECTIVE_ACTION_URL;
}

/** Shown under every banner: advisory text is sourced and dated. */
export const BANNER_SOURCE_LINE =
  'Source: BMA GP collective action guidance, June 2026; last reviewed 24 Nov 2026.';

/** Only https links leave the banner (the settings schema already insists; this is the last door). */
export function safeExternalUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
