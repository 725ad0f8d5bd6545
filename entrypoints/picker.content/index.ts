import '../../lib/zod-setup';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { mountPicker } from '../../components/picker/mount';
import { readLocalSettings, writeLocalSettings } from '../../platform/settings-store';

/**
 * "Identify a prompt on this page": injected into the tab's top frame on demand (popup
 * button → scripting.executeScript with files ['/content-scripts/picker.js']), never
 * registered on pages. Saving writes local settings; the background reloads them and
 * pushes the new signature to every frame's detector.
 */
export default defineContentScript({
  matches: ['http://127.0.0.1/*'],
  registration: 'runtime',
  main(ctx) {
    if (window.top !== window) return;
    const remove = mountPicker(document, { read: readLocalSettings, write: writeLocalSettings });
    ctx.onInvalidated(remove);
  },
});
