import { defineConfig } from 'vitest/config'

/** One test run for the whole workspace; each package keeps its tests beside its code. */
export default defineConfig({
  test: {
    projects: ['packages/shared', 'apps/server', 'apps/web', 'tests'],
  },
})
