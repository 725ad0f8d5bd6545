export const REPO_ROOT: string;
/** Where the Firefox e2e variant goes (relative to the repository root). */
export const FIREFOX_E2E_DIR: string;

/** Builds one package variant into `outDir` (absolute, or relative to the repository root); returns its absolute path. */
export function buildVariant(options: {
  browser: 'chrome' | 'firefox';
  e2e: boolean;
  outDir: string;
  manifestVersion?: 2 | 3;
}): Promise<string>;
