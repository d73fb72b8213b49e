import { defineConfig } from 'vitest/config'

// Browser tests drive Debian's Chromium through playwright-core against the real
// production build, served by server.ts on a free port with a fresh SQLite file.
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.browser.test.ts', 'tests/http/**/*.http.test.ts'],
    globalSetup: ['tests/browser/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
