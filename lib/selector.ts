/**
 * Why a practice's CSS selector cannot be used, or undefined when it can: the one check
 * the schema (import, policy, options page) and the engine both apply. A selector must
 * parse, and must be cheap for the browser on a page of 10,000 rows: the engine asks it
 * of every inserted subtree and tests changed elements against it.
 *
 * Parsing uses an empty fragment, so a check never walks a page. Without a DOM (a service
 * worker) only the obvious parse errors are caught; the engine, which has a DOM, rejects
 * the rest signature by signature. The cost rules need no DOM.
 */
export function selectorError(
  selector: string,
  doc: Document | undefined = globalThis.document,
): string | undefined {
  if (!doc) {
    if (/[{}]/.test(selector)) return 'not a valid CSS selector';
  } else {
    try {
      doc.createDocumentFragment().querySelector(selector);
    } catch (error) {
      return `not a valid CSS selector: ${(error as Error).message}`;
    }
  }
  return selectorCostProblem(selector);
}

/**
 * Pseudo-classes a selector may use: grouping (`:is`, `:where`, `:not`) and states read
 * from the element itself. Everything else is refused, `:has()` above all: it makes the
 * browser search below (or beside) every candidate, and twenty of them stalled a large
 * page for seconds. Positional ones are refused with their own reason.
 */
const ALLOWED_PSEUDO_CLASSES = new Set([
  'is',
  'where',
  'not',
  'checked',
  'disabled',
  'enabled',
  'required',
  'open',
  'defined',
]);

/**
 * Why `selector` could be expensive for the browser, in words an IT lead can act on.
 * A conservative subset, checked on the selector with strings removed and escapes
 * decoded (so `:h\61s(` is seen as `:has(`):
 * - no `:has()`, no positional pseudo-class (`:nth-child`…), none outside
 *   ALLOWED_PSEUDO_CLASSES, no pseudo-elements;
 * - no `~` (every later sibling is searched: on a table of 10,000 rows, for every row);
 * - each selector in a list names its element by a class, id or attribute (outside
 *   `:not()`), so it picks out a few elements rather than every `div` of the page.
 */
export function selectorCostProblem(selector: string): string | undefined {
  const plain = decodeEscapes(withoutStrings(selector)).toLowerCase();
  for (const match of plain.matchAll(/(::?)(-?[a-z][a-z0-9-]*)/g)) {
    const [, colons, name] = match as unknown as [string, string, string];
    if (colons === '::') return `pseudo-elements (::${name}) never match a prompt: remove it`;
    if (name === 'has')
      return ':has() is not allowed: it makes the browser search inside every candidate element and can stall a large page; name the element by its own class or attribute instead';
    if (name.startsWith('nth-') || /^(first|last|only)-(child|of-type)$/.test(name))
      return 'positional selectors break when the page changes: use labels, attributes or classes';
    if (!ALLOWED_PSEUDO_CLASSES.has(name))
      return `:${name} is not allowed: use classes, ids and attributes (with :is(), :where() or :not() if needed)`;
  }
  if (/~(?!=)/.test(plain))
    return 'the "~" combinator is not allowed: it makes the browser search every later sibling and can stall a large page';
  for (const item of topLevelSplit(plain, ',')) {
    const compounds = topLevelSplit(item.trim(), /[\s>+]/);
    const last = compounds.filter((c) => c.length > 0).at(-1) ?? '';
    if (!/[.#[]/.test(withoutNotArguments(last)))
      return `"${item.trim()}" would match too many elements: give the element a class, id or attribute (e.g. div.vendor-panel or [data-vendor])`;
  }
  return undefined;
}

/** Quoted strings emptied (attribute values may hold any text, ":has(" included). */
function withoutStrings(selector: string): string {
  return selector.replace(/"(?:[^"\\]|\\[\s\S])*"?|'(?:[^'\\]|\\[\s\S])*'?/g, '""');
}

/**
 * CSS escapes decoded: an escaped letter or digit is that letter (`\61` and `\a` can
 * spell a pseudo-class name); any other escaped character is part of a name (`#a\:b`),
 * so it becomes a neutral name character.
 */
function decodeEscapes(selector: string): string {
  return selector.replace(/\\([0-9a-fA-F]{1,6}\s?|[\s\S])/g, (_, escaped: string) => {
    const hex = /^[0-9a-fA-F]{1,6}\s?$/.test(escaped);
    const char = hex
      ? String.fromCodePoint(Math.min(Number.parseInt(escaped, 16) || 0xfffd, 0x10ffff))
      : escaped;
    return /^[a-zA-Z0-9-]$/.test(char) ? char : '_';
  });
}

/** `text` split on `separator` outside brackets and parentheses. */
function topLevelSplit(text: string, separator: string | RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(' || char === '[') depth++;
    else if ((char === ')' || char === ']') && depth > 0) depth--;
    const splits = typeof separator === 'string' ? char === separator : separator.test(char);
    if (depth === 0 && splits) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

/** `:not(…)` with its argument removed (what it excludes does not pick anything out). */
function withoutNotArguments(compound: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < compound.length; i++) {
    if (depth === 0 && compound.startsWith(':not(', i)) {
      depth = 1;
      i += 4;
      continue;
    }
    const char = compound[i];
    if (depth > 0) {
      if (char === '(') depth++;
      else if (char === ')') depth--;
      continue;
    }
    out += char;
  }
  return out;
}
