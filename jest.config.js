// @ts-check
/** Unit tests sit beside the sources; integration tests talk to the real broker and database;
 *  end-to-end tests run the built services as processes; fault tests break the broker, the
 *  database and the processes; hostile tests send what a careless or hostile client would, and
 *  fuzz the message edge. `npm test` runs the first three; `npm run test:faults` and
 *  `npm run test:hostile` their own.
 *  All but the unit tests first check that RabbitMQ and PostgreSQL answer, and stop at once,
 *  saying how to fix it, when they do not. */

const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] };
const moduleNameMapper = { '^@app/(.*)$': '<rootDir>/libs/$1/src' };
const common = { rootDir: __dirname, testEnvironment: 'node', transform, moduleNameMapper };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/{apps,libs,tools}/*/src/**/*.spec.ts',
        '<rootDir>/bench/src/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,tools}/*/test/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/support/require-infrastructure.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/slow-test-timeout.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/prepare-built-services.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/slow-test-timeout.ts'],
    },
    {
      // Hostile clients against the fixture service and the built services: npm run test:hostile.
      ...common,
      displayName: 'hostile',
      testMatch: ['<rootDir>/test/hostile/**/*.hostile-spec.ts'],
      globalSetup: '<rootDir>/test/support/prepare-built-services.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/slow-test-timeout.ts'],
    },
    {
      // Stops the broker and the database for everyone: run alone (npm run test:faults).
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
      globalSetup: '<rootDir>/test/support/prepare-built-services.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/slow-test-timeout.ts'],
    },
    {
      // Needs the private three-node cluster test/cluster/cluster.sh starts: npm run test:cluster.
      ...common,
      displayName: 'cluster',
      testMatch: ['<rootDir>/test/cluster/**/*.cluster-spec.ts'],
      globalSetup: '<rootDir>/test/support/prepare-built-services.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/slow-test-timeout.ts'],
    },
  ],
};
