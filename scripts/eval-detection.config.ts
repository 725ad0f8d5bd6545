import { defineConfig } from 'vitest/config';

/** `npm run eval:detection`: the generated detection evaluation (scripts/eval-detection.eval.ts). */
export default defineConfig({
  test: {
    environment: 'happy-dom',
    include: ['scripts/eval-detection.eval.ts'],
    testTimeout: 300_000,
  },
});
