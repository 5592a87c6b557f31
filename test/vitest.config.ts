// One vitest run, four projects: pure shared code, the server over real HTTP, the extension on WXT's fake
// browser, and end-to-end tests in real Chromium (which need `wxt build` first; `npm test` does that).
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  test: {
    root,
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      { test: { name: 'shared', root, include: ['test/shared/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'server', root, include: ['test/server/**/*.test.ts'], environment: 'node', testTimeout: 30000, hookTimeout: 30000 } },
      {
        plugins: [WxtVitest({ root })],
        test: { name: 'extension', root, include: ['test/extension/**/*.test.ts?(x)'], environment: 'happy-dom' },
      },
      {
        test: {
          name: 'e2e', root, include: ['test/e2e/**/*.test.ts'], environment: 'node',
          testTimeout: 120000, hookTimeout: 120000, fileParallelism: false,
        },
      },
    ],
  },
});
