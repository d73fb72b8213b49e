import { defineConfig } from 'vitest/config'

// `npm run test:soak`: the runs that take more than about a minute (issue 12),
// against the production build, one file at a time.
export default defineConfig({
  test: {
    include: ['tests/soak/**/*.soak.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 1_800_000,
    hookTimeout: 300_000,
  },
})
