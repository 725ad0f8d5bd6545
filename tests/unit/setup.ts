import nodeConsole from 'node:console';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

afterEach(() => {
  cleanup();
  fakeBrowser.reset();
});

// happy-dom reports every iframe it does not load (vitest.config.ts turns frame loading
// off) on the worker's own console, past vitest's log capture, with a stack trace. That is
// the expected condition, not a test's output: drop just that report.
const printError = nodeConsole.error.bind(nodeConsole);
nodeConsole.error = (...args: unknown[]) => {
  if (args.some((a) => a instanceof Error && a.message.includes('Iframe page loading is disabled'))) return;
  printError(...args);
};
