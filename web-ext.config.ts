import { defineWebExtConfig } from 'wxt';

// No display on CI or dev containers: `wxt dev` must not try to open a browser.
export default defineWebExtConfig({ disabled: true });
