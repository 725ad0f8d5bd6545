import { createRoot } from 'react-dom/client';
import { ownElements } from '../../lib/content/own-elements';
import { PICKER_HOST_NAME as PICKER_HOST_TAG } from '../../lib/dom-vocabulary';
import { PickerApp } from './PickerApp';
import type { PickerStore } from './store';
import { PICKER_CSS } from './styles';

export { PICKER_HOST_TAG };

/**
 * Events a page script could fire at the picker's controls (`.click()`, a forged
 * `input` or `keydown`): only the user's own (trusted) events may reach them.
 */
const USER_EVENT_TYPES = [
  'click',
  'auxclick',
  'dblclick',
  'contextmenu',
  'pointerdown',
  'pointerup',
  'pointermove',
  'mousedown',
  'mouseup',
  'keydown',
  'keyup',
  'keypress',
  'beforeinput',
  'input',
  'change',
  'submit',
  'paste',
  'drop',
] as const;

/**
 * The picker's host element. Its usual name, unless the page got there first (defined
 * that custom element, so its own code would run on our host): then a random name the
 * page cannot guess.
 */
function createHost(doc: Document): HTMLElement {
  const plain = doc.createElement(PICKER_HOST_TAG);
  if (!plain.matches(':defined')) return plain;
  return doc.createElement(`${PICKER_HOST_TAG}-${Math.random().toString(36).slice(2, 10)}`);
}

/** Mounts the picker's shadow root on `host`, or returns undefined if the page already took it. */
function attach(host: HTMLElement): ShadowRoot | undefined {
  try {
    return host.attachShadow({ mode: 'open' });
  } catch {
    return undefined;
  }
}

/**
 * Mounts the picker in a shadow root on the page (once per page). Returns a function
 * that removes everything it added; Escape and "Leave" call it too.
 */
export function mountPicker(
  doc: Document,
  store: PickerStore,
  {
    isUserEvent = (event: Event) => event.isTrusted,
  }: {
    /** Whether an event came from the user; tests (which can only make untrusted events) replace it. */
    isUserEvent?: (event: Event) => boolean;
  } = {},
): () => void {
  const own = ownElements();
  for (const old of doc.querySelectorAll('*'))
    if (own.has(old) && old.localName.startsWith(PICKER_HOST_TAG)) old.remove();
  let host = createHost(doc);
  let shadow = attach(host);
  if (!shadow) {
    host = doc.createElement(`${PICKER_HOST_TAG}-${Math.random().toString(36).slice(2, 10)}`);
    shadow = attach(host) as ShadowRoot;
  }
  own.add(host);
  // Capture phase on the shadow root runs before React's listeners on its container.
  for (const type of USER_EVENT_TYPES) {
    shadow.addEventListener(
      type,
      (event) => {
        if (!isUserEvent(event)) event.stopImmediatePropagation();
      },
      true,
    );
  }
  const style = doc.createElement('style');
  style.textContent = PICKER_CSS;
  const container = doc.createElement('div');
  container.className = 'root';
  shadow.append(style, container);
  doc.documentElement.append(host);
  const root = createRoot(container);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    // Unmount after the current event so React is not torn down inside its own handler.
    queueMicrotask(() => {
      root.unmount();
      host.remove();
    });
  };
  root.render(<PickerApp doc={doc} host={host} store={store} onClose={remove} isUserEvent={isUserEvent} />);
  return remove;
}
