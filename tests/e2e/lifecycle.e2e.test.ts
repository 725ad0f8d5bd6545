import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BANNER_HOST,
  bannerState,
  collectConsoleErrors,
  type ExtensionBrowser,
  holdsForFrames,
  launchWithExtension,
  REPO_ROOT,
  reloadExtension,
  type SimServer,
  snapshotBuild,
  waitForBanner,
} from './harness';

/**
 * The production registration path (run-time registration, the
 * only one in every build) through back/forward-cache restores, frames replaced by
 * navigation, and an extension reload (as on an update) while a page is open.
 * Pages: tests/fixtures/lifecycle/.
 */

declare const chrome: {
  tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> };
  action: { getBadgeText(d: { tabId: number }): Promise<string> };
  storage: { session: { get(keys: string[]): Promise<Record<string, unknown>> } };
};

const FIXTURES = path.join(REPO_ROOT, 'tests/fixtures/lifecycle');

let sim: Pick<SimServer, 'url' | 'close'>;
let ext: ExtensionBrowser;
let dir: string;

beforeAll(async () => {
  sim = await startCacheableServer(FIXTURES);
  dir = await mkdtemp(path.join(tmpdir(), 'mo-lifecycle-e2e-'));
  // A private copy: the reload below must read a complete build from disk.
  const extensionDir = await snapshotBuild(dir);
  ext = await launchWithExtension({
    userDataDir: path.join(dir, 'profile'),
    extensionDir,
    backForwardCache: true,
  });
}, 60_000);

afterAll(async () => {
  await ext?.close();
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * The fixtures, served WITHOUT the sim server's `cache-control: no-store` (which keeps
 * Chromium from putting a page in the back/forward cache), on 127.0.0.1 only.
 */
async function startCacheableServer(root: string): Promise<Pick<SimServer, 'url' | 'close'>> {
  const server = http.createServer(async (req, res) => {
    const name = path.basename(new URL(req.url ?? '/', 'http://x').pathname);
    try {
      const body = await readFile(path.join(root, name));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (p: string) => `http://127.0.0.1:${port}/${p.replace(/^\//, '')}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function tabIdOf(worker: Worker, url: string): Promise<number> {
  const id = await worker.evaluate(
    async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id,
    url,
  );
  if (id === undefined) throw new Error(`no tab for ${url}`);
  return id;
}

function badge(worker: Worker, tabId: number): Promise<string> {
  return worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
}

async function expectBadge(worker: Worker, tabId: number, text: string, what: string): Promise<void> {
  await expect.poll(() => badge(worker, tabId), { timeout: 10_000, message: what }).toBe(text);
}

/** Frame ids whose latest report lists a tool, from the background's tab record. */
async function reportingFrames(worker: Worker, tabId: number): Promise<string[]> {
  return worker.evaluate(async (id) => {
    const { tabs } = (await chrome.storage.session.get(['tabs'])) as {
      tabs?: Record<string, { frames: Record<string, unknown[]> }>;
    };
    const frames = tabs?.[String(id)]?.frames ?? {};
    return Object.keys(frames).filter((f) => (frames[f] ?? []).length > 0);
  }, tabId);
}

async function withPage<T>(fn: (page: Page, errors: string[]) => Promise<T>): Promise<T> {
  const page = await ext.context.newPage();
  const errors = collectConsoleErrors(page);
  try {
    return await fn(page, errors);
  } finally {
    await page.close();
  }
}

describe('back/forward cache', () => {
  it('a page restored from the cache with its prompt is flagged again (banner and badge)', async () => {
    await withPage(async (page) => {
      const url = sim.url('prompt.html');
      await page.goto(url);
      await waitForBanner(page, { tools: ['scriptswitch'] });
      const tabId = await tabIdOf(ext.serviceWorker, url);
      await expectBadge(ext.serviceWorker, tabId, '1', 'badge on the prompt page');

      await page.goto(sim.url('plain.html'));
      await expectBadge(ext.serviceWorker, tabId, '', 'badge after leaving the prompt page');

      await page.goBack({ waitUntil: 'commit' });
      const restored = await page.evaluate(() => (window as unknown as { __restored: number }).__restored);
      expect(restored, 'the page really came back from the back/forward cache').toBe(1);
      await expectBadge(ext.serviceWorker, tabId, '1', 'badge after the restore');
      await waitForBanner(page, { tools: ['scriptswitch'] });
      expect(await page.locator(BANNER_HOST).count(), 'one banner host').toBe(1);
    });
  });
});

describe('a frame replaced by navigation', () => {
  it("the old document's prompt is withdrawn, the new document's state is reported", async () => {
    await withPage(async (page, errors) => {
      const url = sim.url('frame-host.html');
      await page.goto(url);
      await waitForBanner(page, { tools: ['scriptswitch'] });
      const tabId = await tabIdOf(ext.serviceWorker, url);
      await expectBadge(ext.serviceWorker, tabId, '1', 'badge with the prompt in the frame');

      await page.evaluate(() => {
        (document.getElementById('vendor') as HTMLIFrameElement).src = 'frame-plain.html';
      });
      await expectBadge(ext.serviceWorker, tabId, '', 'badge once the frame navigated away');
      await expect.poll(() => bannerState(page).then((s) => s.present), { timeout: 10_000 }).toBe(false);
      expect(await reportingFrames(ext.serviceWorker, tabId)).toEqual([]);

      await page.evaluate(() => {
        (document.getElementById('vendor') as HTMLIFrameElement).src = 'frame-prompt.html';
      });
      await waitForBanner(page, { tools: ['scriptswitch'] });
      await expectBadge(ext.serviceWorker, tabId, '1', 'badge once the frame shows a prompt again');
      expect(await reportingFrames(ext.serviceWorker, tabId)).toHaveLength(1);
      expect(errors).toEqual([]);
    });
  });
});

describe('extension reload (as on an update) while a page is open', () => {
  it('the old copy stops and leaves nothing behind; the new one reports the open page without a reload', async () => {
    await withPage(async (page, errors) => {
      const url = sim.url('prompt.html');
      await page.goto(url);
      await waitForBanner(page, { tools: ['scriptswitch'] });

      const worker = await reloadExtension(ext);
      ext = { ...ext, serviceWorker: worker };
      const tabId = await tabIdOf(worker, url);
      // The page was not reloaded: only a detector injected by the new copy can report it.
      await expectBadge(worker, tabId, '1', 'badge from the new copy, page not reloaded');
      await waitForBanner(page, { tools: ['scriptswitch'] });
      await expect.poll(() => page.locator(BANNER_HOST).count(), { timeout: 5000 }).toBe(1);

      // The new copy follows the page: the prompt closing clears the badge and the banner...
      await page.evaluate(() => document.getElementById('prompt')?.remove());
      await expectBadge(worker, tabId, '', 'badge after the prompt closed');
      await expect.poll(() => bannerState(page).then((s) => s.present), { timeout: 10_000 }).toBe(false);
      // ...and a new one brings them back, with exactly one banner host on the page.
      await page.evaluate(() => {
        const prompt = document.createElement('div');
        prompt.id = 'prompt';
        prompt.setAttribute('role', 'dialog');
        prompt.setAttribute('aria-modal', 'true');
        prompt.innerHTML =
          '<h2>ScriptSwitch</h2><p>A prescribing recommendation is available.</p><button type="button">Accept</button> <button type="button">Edit Original</button> <button type="button">Prescribe Original</button>';
        document.body.append(prompt);
      });
      await waitForBanner(page, { tools: ['scriptswitch'] });
      await expectBadge(worker, tabId, '1', 'badge for the new prompt');
      await holdsForFrames(page, 60, async () => expect(await page.locator(BANNER_HOST).count()).toBe(1));
      expect(errors, errors.join('\n')).toEqual([]);
    });
  }, 90_000);
});
