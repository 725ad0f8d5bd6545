import '../../lib/zod-setup';
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { mountPicker } from '../../components/picker/mount';
import { messageStore } from './store';

/**
 * "Identify a prompt on this page": injected into the tab's top frame on demand (popup
 * button → scripting.executeScript with files ['/content-scripts/picker.js']), never
 * registered on pages. Saving asks the background (picker/add-signature), which writes
 * local settings; the settings change then reaches every frame's detector.
 */
export default defineContentScript({
  matches: ['http://127.0.0.1/*'],
  registration: 'runtime',
  main(ctx) {
    if (window.top !== window) return;
    const remove = mountPicker(
      document,
      messageStore((message) => browser.runtime.sendMessage(message)),
    );
    ctx.onInvalidated(remove);
  },
});
