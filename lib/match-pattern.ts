/**
 * Match patterns (the browser's own host syntax), limited to http(s): the form
 * admins write in `clinicalHosts`, e.g. https://*.clinical.example.nhs.uk/*.
 */

const PATTERN = /^(\*|https?):\/\/(\*|\*\.[^/:]+|[^/:*]+)(?::(\d+|\*))?(\/.*)$/;

export function matchesPattern(pattern: string, url: string): boolean {
  const m = PATTERN.exec(pattern);
  if (!m) return false;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  const [, scheme, host, port, path] = m;
  const protocol = target.protocol.replace(':', '');
  if (scheme === '*' ? !['http', 'https'].includes(protocol) : scheme !== protocol) return false;
  if (host !== '*') {
    if (host?.startsWith('*.')) {
      const base = host.slice(2);
      if (target.hostname !== base && !target.hostname.endsWith(`.${base}`)) return false;
    } else if (target.hostname !== host) return false;
  }
  if (port && port !== '*' && target.port !== port) return false;
  return globMatch(path ?? '/*', target.pathname + target.search);
}

/** `*` matches any run of characters. Linear: no regex, so no pattern can make it hang. */
function globMatch(glob: string, text: string): boolean {
  const parts = glob.split('*');
  const first = parts.shift() ?? '';
  if (!text.startsWith(first)) return false;
  if (parts.length === 0) return text === first;
  const last = parts.pop() ?? '';
  let pos = first.length;
  for (const part of parts) {
    const at = text.indexOf(part, pos);
    if (at < 0) return false;
    pos = at + part.length;
  }
  return text.length - last.length >= pos && text.endsWith(last);
}

/** A URL's host (with port), or undefined when it is not a URL. */
export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** The pattern for a page's origin ("https://host/*"), or undefined for non-http(s) pages. */
export function originPatternFor(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return `${u.protocol}//${u.hostname}/*`;
  } catch {
    return undefined;
  }
}

/**
 * Chrome's match patterns have no port: a pattern with a port is granted and
 * registered as the same host without it (the port is still checked when matching).
 */
export function withoutPort(pattern: string): string {
  return pattern.replace(/^([^:]+:\/\/[^/:]+):(\d+|\*)\//, '$1/');
}
