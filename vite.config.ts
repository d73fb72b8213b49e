import { vitePlugin as remix } from '@remix-run/dev'
import { defineConfig } from 'vitest/config'
import remixConfig from './remix.config.js'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

// Vitest reads this file too; the Remix plugin must stay out of test runs
// (it expects a Remix build context and slows every test file's start).
export default defineConfig({
  plugins: process.env.VITEST ? [] : [remix(remixConfig)],
  server: { port: 3000, host: '127.0.0.1' },
  build: { target: 'es2022' },
  test: {
    include: ['**/*.test.{ts,tsx}'],
    // tests/http/ talks to the running production build: it runs with the browser tests;
    // tests/soak/ runs from `npm run test:soak`.
    exclude: ['node_modules/**', 'build/**', 'tests/browser/**', 'tests/http/**', 'tests/soak/**'],
    // One migrated, seeded demo database per run; test files copy it (tests/utils/test-db.ts).
    globalSetup: ['tests/setup/global-setup.ts'],
    pool: 'forks',
    testTimeout: 20_000,
  },
})
