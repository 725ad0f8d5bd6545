/**
 * The page's DOM as the extension reads it, in one place: what counts as a prompt-like
 * container, the attributes whose change the detector must observe (derived from the
 * selectors, so a new kind of container cannot go unwatched), and the names the
 * extension's own elements carry. A leaf module: content scripts, the engine and the
 * picker import it without pulling in anything else.
 */

/** Modal dialogs: prompts by nature, and what the banner must never sit beneath. */
export const MODAL_CONTAINERS = ['dialog', '[role="dialog"]', '[role="alertdialog"]', '[aria-modal="true"]'];

/** Alerts and toasts: small announcements, prompts by nature. */
export const ALERT_CONTAINERS = ['[role="alert"]', '[role="status"]'];

/** Popovers and live regions: prompts by nature, but as often a page's own log or menu. */
export const LIVE_CONTAINERS = [
  '[popover]',
  '[role="log"]',
  '[aria-live="polite"]',
  '[aria-live="assertive"]',
];

/** Places that group a page like a prompt might but often are not one (a settings panel). */
export const REGION_CONTAINERS = [
  'aside',
  '[role="complementary"]',
  '[role="region"][aria-label]',
  '[role="region"][aria-labelledby]',
  'section[aria-label]',
  'section[aria-labelledby]',
];

/** Containers that are prompts by nature: dialogs, popovers, alerts, toasts, live regions. */
export const STRONG_PROMPT_SELECTOR = [...MODAL_CONTAINERS, ...ALERT_CONTAINERS, ...LIVE_CONTAINERS].join(
  ',',
);

/** Where evidence is grouped as one prompt: the strong ones, and asides and labelled regions. */
export const PROMPT_CONTAINER_SELECTOR = [STRONG_PROMPT_SELECTOR, ...REGION_CONTAINERS].join(',');

/** Containers that group evidence but do not by themselves suggest a prompt. */
export const GENERIC_CONTAINER_SELECTOR = 'article,section,form,main,[role="main"],[role="article"],fieldset';

/** The containers above as a person reads them (the picker's warnings). */
export const PROMPT_CONTAINER_DESCRIPTION = 'a dialog, alert, labelled region or aside';

/** Weight the engine adds when evidence sits in a strong prompt container. */
export const PROMPT_CONTAINER_WEIGHT = 0.3;

/**
 * Weight for a region container (an aside or labelled region: a settings panel is one
 * too), or a sub-frame's own document.
 */
export const REGION_CONTAINER_WEIGHT = 0.15;

/**
 * Attribute names a selector tests (`[name]`, `[name="v"]`, inside `:not(…)` too).
 * Quoted values are dropped first, so a bracket inside a value is not read as one.
 */
export function attributesOfSelector(selector: string): string[] {
  const unquoted = selector.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const names = new Set<string>();
  for (const match of unquoted.matchAll(/\[\s*(?:[\w-]*\|)?([\w-]+)/g))
    names.add((match[1] as string).toLowerCase());
  return [...names];
}

/** Attributes whose change can make an element a prompt-like container or stop it being one. */
export const PROMPT_CONTAINER_ATTRIBUTES: readonly string[] = attributesOfSelector(PROMPT_CONTAINER_SELECTOR);

/** Attributes whose change can show or hide a prompt. */
export const VISIBILITY_ATTRIBUTES = ['class', 'style', 'hidden', 'inert', 'open', 'popover'] as const;

/*
 * The extension's own elements: host names, ids and accessible names. Inside our shadow
 * roots, never looked up in the page.
 */

/** The banner's heading, which names its region. */
export const BANNER_TITLE_ID = 'mo-banner-title';
/** The banner's details, which its Show/Hide control expands. */
export const BANNER_BODY_ID = 'mo-banner-body';
/** The picker's accessible name. */
export const PICKER_LABEL = 'Prompt picker';

/** The banner's shadow host (random-suffixed when a page squats the plain name). */
export const BANNER_HOST_NAME = 'mo-advisor-banner';

/** The picker's shadow host (random-suffixed when a page squats the plain name). */
export const PICKER_HOST_NAME = 'mo-prompt-picker';

/** Hosts of the extension's own UI: never read as a prompt, though they name the tools. */
export const OWN_HOST_NAMES: ReadonlySet<string> = new Set([BANNER_HOST_NAME, PICKER_HOST_NAME]);
