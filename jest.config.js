/** Jest runs TypeScript through SWC, with decorator metadata on so TypeORM can infer column types in test entities. */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  // End-to-end suites spawn the CLI many times; on a loaded 2-core machine a single test can take minutes.
  testTimeout: 300000,
  // Integration suites each create their own throwaway database, so they can run in parallel on the 2 cores.
  maxWorkers: 2,
};
