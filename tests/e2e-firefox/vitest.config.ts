import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Firefox ESR suite (puppeteer-core): `npm run test:e2e:firefox`. It builds its own
 * packages (the Firefox e2e variant into .output/firefox-mv2-e2e, a production package
 * into a temporary folder for web-ext lint), so it needs no build step first.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../../', import.meta.url)),
  test: {
    environment: 'node',
    include: ['tests/e2e-firefox/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
