// @vitest-environment node
/**
 * Edge installs the Chrome MV3 package (docs/browsers.md). This builds the production
 * Chrome package into a temporary folder (never .output/chrome-mv3, which the e2e suite
 * uses) and checks its manifest holds nothing Edge or the Edge Add-ons store rejects.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildVariant } from '../../scripts/build-firefox-e2e.mjs';

/**
 * Top-level keys Chromium (and so Edge) accepts in an MV3 manifest
 * (developer.chrome.com/docs/extensions/reference/manifest). Anything else is either
 * Firefox-only (browser_specific_settings, sidebar_action, user_scripts...) or MV2.
 */
const CHROMIUM_MV3_KEYS = new Set([
  'manifest_version',
  'name',
  'version',
  'version_name',
  'description',
  'short_name',
  'author',
  'homepage_url',
  'icons',
  'action',
  'background',
  'chrome_settings_overrides',
  'chrome_url_overrides',
  'commands',
  'content_scripts',
  'content_security_policy',
  'cross_origin_embedder_policy',
  'cross_origin_opener_policy',
  'declarative_net_request',
  'default_locale',
  'devtools_page',
  'export',
  'externally_connectable',
  'host_permissions',
  'import',
  'incognito',
  'minimum_chrome_version',
  'oauth2',
  'offline_enabled',
  'omnibox',
  'optional_host_permissions',
  'optional_permissions',
  'options_page',
  'options_ui',
  'permissions',
  'requirements',
  'sandbox',
  'side_panel',
  'storage',
  'tts_engine',
  'web_accessible_resources',
]);

/** Keys the stores set themselves: a package carrying them is refused or mis-updates in Edge. */
const STORE_OWNED_KEYS = ['key', 'update_url'];

/**
 * API permissions Edge supports: the Chromium list without the ChromeOS-only ones
 * (certificateProvider, documentScan, enterprise.*, fileSystemProvider, loginState,
 * platformKeys, printing, vpnProvider, wallpaper...).
 */
const EDGE_PERMISSIONS = new Set([
  'activeTab',
  'alarms',
  'background',
  'bookmarks',
  'browsingData',
  'clipboardRead',
  'clipboardWrite',
  'contentSettings',
  'contextMenus',
  'cookies',
  'debugger',
  'declarativeContent',
  'declarativeNetRequest',
  'declarativeNetRequestFeedback',
  'declarativeNetRequestWithHostAccess',
  'desktopCapture',
  'downloads',
  'downloads.open',
  'downloads.ui',
  'favicon',
  'fontSettings',
  'geolocation',
  'history',
  'identity',
  'identity.email',
  'idle',
  'management',
  'nativeMessaging',
  'notifications',
  'offscreen',
  'pageCapture',
  'power',
  'privacy',
  'proxy',
  'readingList',
  'scripting',
  'search',
  'sessions',
  'sidePanel',
  'storage',
  'system.cpu',
  'system.display',
  'system.memory',
  'system.storage',
  'tabCapture',
  'tabGroups',
  'tabs',
  'topSites',
  'tts',
  'ttsEngine',
  'unlimitedStorage',
  'userScripts',
  'webNavigation',
  'webRequest',
  'webRequestAuthProvider',
]);

/** A Chromium match pattern (scheme://host/path), the only thing host permission lists may hold. */
const MATCH_PATTERN = /^(\*|https?|wss?|file|ftp):\/\/(\*|\*\.[^/*]+|[^/*]+)?\/.*$|^<all_urls>$/;

/** CSP sources Chrome MV3 allows for script-src/object-src/worker-src of extension pages. */
const MV3_SCRIPT_SOURCES = new Set(["'self'", "'none'", "'wasm-unsafe-eval'"]);

type Manifest = Record<string, unknown> & {
  manifest_version: number;
  name: string;
  version: string;
  description?: string;
  short_name?: string;
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  background?: Record<string, unknown>;
  content_security_policy?: unknown;
  icons?: Record<string, string>;
  action?: { default_icon?: string | Record<string, string>; default_popup?: string };
  options_ui?: { page?: string };
  storage?: { managed_schema?: string };
  web_accessible_resources?: unknown[];
};

let tmp: string;
let dir: string;
let manifest: Manifest;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'mo-edge-manifest-'));
  dir = await buildVariant({ browser: 'chrome', e2e: false, outDir: path.join(tmp, 'chrome-mv3') });
  manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
}, 120_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const inPackage = (file: string) => path.join(dir, file.replace(/^\//, ''));

describe('Chrome MV3 package, as Edge installs it', () => {
  it('is Manifest V3 with only keys Chromium knows (nothing Firefox-only)', () => {
    expect(manifest.manifest_version).toBe(3);
    expect(Object.keys(manifest).filter((key) => !CHROMIUM_MV3_KEYS.has(key))).toEqual([]);
    expect(manifest).not.toHaveProperty('browser_specific_settings');
    expect(manifest).not.toHaveProperty('applications');
    expect(manifest).not.toHaveProperty('browser_action');
    expect(manifest).not.toHaveProperty('page_action');
  });

  it('carries no store-owned key (key, update_url)', () => {
    for (const key of STORE_OWNED_KEYS) expect(manifest, key).not.toHaveProperty(key);
  });

  it('runs a service worker background that exists in the package, with no MV2 background keys', () => {
    const background = manifest.background ?? {};
    expect(typeof background.service_worker).toBe('string');
    expect(existsSync(inPackage(String(background.service_worker)))).toBe(true);
    for (const key of ['scripts', 'page', 'persistent']) expect(background, key).not.toHaveProperty(key);
  });

  it('asks only for API permissions Edge supports, and keeps hosts out of `permissions`', () => {
    const all = [...(manifest.permissions ?? []), ...(manifest.optional_permissions ?? [])];
    expect(all.filter((p) => !EDGE_PERMISSIONS.has(p))).toEqual([]);
    const hosts = [...(manifest.host_permissions ?? []), ...(manifest.optional_host_permissions ?? [])];
    expect(hosts.filter((h) => !MATCH_PATTERN.test(h))).toEqual([]);
    // Production grants no host at install: hosts are requested per clinical system at run time.
    expect(manifest.host_permissions ?? []).toEqual([]);
  });

  it('has an MV3 CSP object without unsafe-eval, inline script or remote script hosts', () => {
    const csp = manifest.content_security_policy;
    expect(typeof csp).toBe('object');
    const policies = csp as Record<string, string>;
    expect(Object.keys(policies).filter((k) => k !== 'extension_pages' && k !== 'sandbox')).toEqual([]);
    const directives = new Map(
      (policies.extension_pages ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((parts) => parts[0])
        .map(([name, ...sources]) => [name as string, sources]),
    );
    expect(directives.get('script-src'), 'script-src present').toBeDefined();
    for (const name of ['script-src', 'object-src', 'worker-src']) {
      const bad = (directives.get(name) ?? []).filter((s) => !MV3_SCRIPT_SOURCES.has(s));
      expect(bad, `${name} sources Chrome MV3 refuses`).toEqual([]);
    }
    expect(policies.extension_pages).not.toMatch(/unsafe-eval|unsafe-inline/);
  });

  it('fits the Edge Add-ons limits: name ≤ 45, short_name ≤ 12, description ≤ 132 characters', () => {
    expect(manifest.name.length).toBeGreaterThan(0);
    expect(manifest.name.length).toBeLessThanOrEqual(45);
    if (manifest.short_name !== undefined) expect(manifest.short_name.length).toBeLessThanOrEqual(12);
    expect(manifest.description?.length ?? 0).toBeGreaterThan(0);
    expect(manifest.description?.length ?? 0).toBeLessThanOrEqual(132);
  });

  it('has a Chromium version string: 1 to 4 dot-separated integers 0-65535, no leading zeros', () => {
    const parts = manifest.version.split('.');
    expect(parts.length).toBeGreaterThanOrEqual(1);
    expect(parts.length).toBeLessThanOrEqual(4);
    for (const part of parts) {
      expect(part).toMatch(/^(0|[1-9]\d*)$/);
      expect(Number(part)).toBeLessThanOrEqual(65535);
    }
  });

  it('references only files that exist: icons (if any), popup, options page, managed schema', async () => {
    const files: string[] = [
      ...Object.values(manifest.icons ?? {}),
      ...(typeof manifest.action?.default_icon === 'string'
        ? [manifest.action.default_icon]
        : Object.values(manifest.action?.default_icon ?? {})),
      ...(manifest.action?.default_popup ? [manifest.action.default_popup] : []),
      ...(manifest.options_ui?.page ? [manifest.options_ui.page] : []),
      ...(manifest.storage?.managed_schema ? [manifest.storage.managed_schema] : []),
    ];
    expect(files.filter((f) => !existsSync(inPackage(f)))).toEqual([]);
    for (const size of Object.keys(manifest.icons ?? {})) expect(size).toMatch(/^\d+$/);
    for (const icon of Object.values(manifest.icons ?? {})) {
      // Chromium shows PNG icons; the stores refuse SVG icons in the manifest.
      const head = (await readFile(inPackage(icon))).subarray(0, 8);
      expect(
        head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
        `${icon} is a PNG`,
      ).toBe(true);
    }
    // The managed schema is what Edge validates 3rdparty policy against: it must be a JSON object schema.
    if (manifest.storage?.managed_schema) {
      const schema = JSON.parse(await readFile(inPackage(manifest.storage.managed_schema), 'utf8'));
      expect(schema.type).toBe('object');
    }
  });

  it('declares web_accessible_resources in the MV3 form, if at all', () => {
    for (const entry of manifest.web_accessible_resources ?? []) {
      expect(typeof entry).toBe('object');
      expect(Array.isArray((entry as { resources?: unknown }).resources)).toBe(true);
    }
  });

  it('ships the scripts the background injects or registers at run time', () => {
    for (const file of ['content-scripts/detector.js', 'content-scripts/banner.js'])
      expect(existsSync(inPackage(file)), file).toBe(true);
  });
});
