import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'wxt';
import { TALLY_CSS } from './components/tally/tally-styles';
import { buildManagedSchema } from './lib/settings/managed-schema';

/** Gecko id is fixed: Firefox policies.json addresses the add-on by it. */
export const GECKO_ID = 'mo-prompt-advisor@practice-it.invalid';

/**
 * The e2e/demo build (`WXT_E2E=1`, see `npm run build:e2e`) is a production build that
 * also runs on loopback hosts. Those hosts never appear in the production build.
 */
const E2E = process.env.WXT_E2E === '1';
/** Loopback hosts exist only in the e2e/demo build, never in production. */
const LOOPBACK_MATCHES = ['http://127.0.0.1/*', 'http://localhost/*'];
/** Extra hosts the e2e build may be granted, so policy-driven runtime registration is testable. */
const E2E_POLICY_HOSTS = ['http://*.test/*'];

/**
 * The enterprise package (`npm run build:managed`, WXT_MANAGED=1; Chrome/Edge only): the
 * store build plus host access to every http(s) site, which the organisation confines
 * with the ExtensionSettings policy (runtime_blocked_hosts "*://*", runtime_allowed_hosts
 * its clinical systems), so a force-installed copy watches the policy's clinical hosts
 * with no "Grant access" click per user. Its own output folder and zip name: the store
 * package is never this one. See docs/admin-guide.md, "Which package".
 */
const MANAGED = process.env.WXT_MANAGED === '1';
const MANAGED_HOSTS = ['https://*/*', 'http://*/*'];

/**
 * Extension pages (options, popup) load nothing but their own files: everything starts
 * from `default-src 'none'` (issue 21.9). The tally panel's one inline <style> is
 * allowed by its hash, not by 'unsafe-inline'.
 */
const EXTENSION_PAGES_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src 'self' 'sha256-${createHash('sha256').update(TALLY_CSS).digest('base64')}'`,
  "img-src 'self'",
  "object-src 'none'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Page-proof replacements for two WXT modules every content script uses (issue 21.1, 21.2):
 * - `wxt/browser`: webextension-polyfill, taken from a global the page cannot clobber
 *   (replaces the @wxt-dev/webextension-polyfill module's alias to the same polyfill);
 * - `wxt/utils/content-script-context`: a lifecycle guard no page event can stop or reset.
 */
function pageProofAliases() {
  // Resolved when WXT builds, not at import (tests import this file for GECKO_ID).
  const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
  return [
    { find: /^wxt\/browser$/, replacement: here('./platform/extension-api.ts') },
    {
      find: /^wxt\/utils\/content-script-context$/,
      replacement: here('./platform/content/content-script-context.ts'),
    },
  ];
}

/**
 * The banner content script runs the React components in components/ on Preact: it is
 * injected into a page at the moment a prompt is on screen, and React DOM's evaluation
 * took most of its start-up (issue 20: 60-75 ms of CPU before its first frame on a busy
 * page). `react-dom` and `react-dom/client` come from a small shim over Preact
 * (entrypoints/banner.content/preact-dom.ts); JSX from Preact's runtime. Every other
 * entrypoint, and the unit tests, keep React. The Chromium e2e banner tests (geometry,
 * axe, hostile) run on this build.
 */
const BANNER_ENTRYPOINT = 'banner';
function preactAliases() {
  const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
  const dom = here('./entrypoints/banner.content/preact-dom.ts');
  return [
    { find: /^react-dom$/, replacement: dom },
    { find: /^react-dom\/client$/, replacement: dom },
    { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
    { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
    // Nothing in the banner imports React at run time (types only); if it ever does, it
    // must not pull React DOM's peer in beside Preact.
    { find: /^react$/, replacement: 'preact/compat' },
  ];
}

type Alias = { find: string | RegExp; replacement: string };

/** Vite's alias option in either of its shapes, as a list. */
function aliasList(alias: unknown): Alias[] {
  if (Array.isArray(alias)) return alias as Alias[];
  if (alias && typeof alias === 'object')
    return Object.entries(alias as Record<string, string>).map(([find, replacement]) => ({
      find,
      replacement,
    }));
  return [];
}

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  vite: () => ({ resolve: { alias: pageProofAliases() } }),
  // Firefox: MV2, see docs/browsers.md (granted host permissions at install, stable in ESR).
  outDirTemplate: MANAGED ? '{{browser}}-mv{{manifestVersion}}-managed' : '{{browser}}-mv{{manifestVersion}}',
  ...(MANAGED ? { zip: { artifactTemplate: '{{name}}-{{version}}-{{browser}}-managed.zip' } } : {}),
  // Host access (and the e2e loopback hosts) is set in build:manifestGenerated below,
  // after WXT has added the runtime content scripts' matches.
  manifest: ({ browser }) => {
    return {
      name: 'MO Prompt Advisor',
      description:
        'Notices medicines optimisation prompts in web clinical systems and shows a calm, advisory note. Stores no page text; sends nothing.',
      permissions: ['storage', 'scripting', 'activeTab'],
      optional_host_permissions: ['https://*/*', 'http://*/*'],
      storage: { managed_schema: 'managed_schema.json' },
      action: { default_title: 'MO Prompt Advisor' },
      icons: { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png', 128: 'icon/128.png' },
      // No remote code, no inline script, no eval; extension pages load and talk to nothing.
      content_security_policy:
        browser === 'firefox'
          ? (EXTENSION_PAGES_CSP as unknown as { extension_pages: string })
          : { extension_pages: EXTENSION_PAGES_CSP },
      ...(browser === 'firefox'
        ? {
            browser_specific_settings: {
              gecko: {
                id: GECKO_ID,
                // data_collection_permissions needs Firefox 140 (the current ESR).
                strict_min_version: '140.0',
                data_collection_permissions: { required: ['none'] },
              },
              gecko_android: { strict_min_version: '142.0' },
            },
          }
        : {}),
    };
  },
  hooks: {
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.some((e) => e.name === BANNER_ENTRYPOINT)) return;
      if (entrypoints.length > 1)
        throw new Error('The banner must be built on its own (it alone uses Preact).');
      config.resolve ??= {};
      config.resolve.alias = [...preactAliases(), ...aliasList(config.resolve.alias)];
    },
    'build:manifestGenerated': (wxt, manifest) => {
      const e2e = E2E;
      // Runtime-registered content scripts make WXT add their matches to host_permissions;
      // production must carry no blanket host access, so set them explicitly here.
      const m = manifest as Record<string, unknown>;
      if (wxt.config.manifestVersion === 3) {
        m.host_permissions = e2e ? [...LOOPBACK_MATCHES, ...E2E_POLICY_HOSTS] : MANAGED ? MANAGED_HOSTS : [];
      } else {
        const perms = (m.permissions as string[]).filter((p) => !p.includes('://') && p !== '<all_urls>');
        m.permissions = e2e ? [...perms, ...LOOPBACK_MATCHES, ...E2E_POLICY_HOSTS] : perms;
        m.optional_permissions = ['https://*/*', 'http://*/*'];
        delete m.optional_host_permissions;
        delete m.host_permissions;
      }
      // No build declares content scripts: the detector reaches every page (e2e included)
      // through the same run-time registration (background/host-registration.ts). The e2e
      // build differs only by the loopback hosts it is granted above and watches by default;
      // scripts/check-production-manifest.mjs fails the build otherwise.
      delete manifest.content_scripts;
    },
    'build:publicAssets': (_wxt, files) => {
      files.push({
        relativeDest: 'managed_schema.json',
        contents: `${JSON.stringify(buildManagedSchema(), null, 2)}\n`,
      });
    },
  },
});
