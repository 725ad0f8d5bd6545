import { createRoot } from 'react-dom/client';
import { PickerApp } from './PickerApp';
import type { PickerStore } from './store';
import { PICKER_CSS } from './styles';

export const PICKER_HOST_TAG = 'mo-prompt-picker';

/**
 * Mounts the picker in an open shadow root on the page (once per page). Returns a
 * function that removes everything it added; Escape and "Leave" call it too.
 */
export function mountPicker(doc: Document, store: PickerStore): () => void {
  doc.querySelector(PICKER_HOST_TAG)?.remove();
  const host = doc.createElement(PICKER_HOST_TAG);
  const shadow = host.attachShadow({ mode: 'open' });
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
  root.render(<PickerApp doc={doc} host={host} store={store} onClose={remove} />);
  return remove;
}
