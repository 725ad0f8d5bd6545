import { defineConfig } from 'vitest/config';

/** Browser tests: real Chromium with the built extension (npm run build:e2e first). */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
