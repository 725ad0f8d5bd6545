import type { Browser, BrowserContext, Page, Worker } from 'playwright-core';

export const REPO_ROOT: string;
export const BASE_CHROMIUM_ARGS: readonly string[];
export const BANNER_HOST: string;
export const BANNER_SELECTOR: string;

export interface LaunchOptions {
  /** Relative to the repository root, or absolute. Default `.output/chrome-mv3`. */
  extensionDir?: string;
  /** Default: a fresh temporary profile under .e2e-profiles/, removed on close(). */
  userDataDir?: string;
  /** Default true. */
  headless?: boolean;
  extraArgs?: string[];
  viewport?: { width: number; height: number } | null;
  serviceWorkerTimeout?: number;
  /** Let Playwright close the browser and exit on SIGINT/SIGTERM/SIGHUP (default true); false = the caller handles them. */
  handleSignals?: boolean;
  /** Keep the back/forward cache on (Playwright turns it off by default); default false. */
  backForwardCache?: boolean;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  serviceWorker: Worker;
  /** Absolute path of the unpacked extension. */
  extensionDir: string;
  userDataDir: string;
  close(): Promise<void>;
}

export interface BannerTool {
  toolId: string;
  verdict: string;
}

export interface BannerState {
  present: boolean;
  tools: BannerTool[];
}

export function findChromium(): string;
export function assertExtensionBuilt(extensionDir?: string): string;
export function launchWithExtension(options?: LaunchOptions): Promise<ExtensionBrowser>;
export function launchPlain(options?: {
  headless?: boolean;
  viewport?: { width: number; height: number };
}): Promise<{ browser: Browser; context: BrowserContext; close(): Promise<void> }>;
export function bannerState(page: Page): Promise<BannerState>;
export function describeTools(tools: BannerTool[]): string;
export function waitForBanner(
  page: Page,
  options?: { timeout?: number; tools?: string[] },
): Promise<BannerState>;
export function expectNoBannerFor(page: Page, ms?: number): Promise<void>;
export function collectConsoleErrors(page: Page): string[];

export const PAGE_CONTROL_SELECTOR: string;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface CoveredElement {
  tag: string;
  id?: string;
  /** Accessible name or text, trimmed to 40 characters. */
  name: string;
  box: Box;
}

export function bannerBox(page: Page): Promise<Box | null>;
export function elementsCoveredByBanner(
  page: Page,
  options?: { selectors?: string[]; includeControls?: boolean },
): Promise<CoveredElement[]>;
