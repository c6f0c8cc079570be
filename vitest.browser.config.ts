import { defineConfig } from 'vitest/config';

// `npm run test:browser`: the pages in Debian's chromium through playwright-core, against the embedded
// stack each file starts. Kept apart from `npm test`, which needs no browser.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
