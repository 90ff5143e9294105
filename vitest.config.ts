import { defineConfig } from 'vitest/config';

const globalSetup = ['./libs/testing/src/postgres/database.global-setup.ts'];

/**
 * Three projects: `unit` (pure logic, parallel), `integration` (real brokers,
 * one file at a time so suites do not fight over two cores) and `e2e` (the
 * three services as processes).
 */
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    globals: true,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{apps,libs,scripts,bench}/**/*.spec.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{apps,libs,bench}/**/*.int-spec.ts'],
          globalSetup,
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e-spec.ts'],
          globalSetup,
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
