// ESM mode (@middy/core is ESM-only): run through `node --experimental-vm-modules`.
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
};
const common = { testEnvironment: 'node', extensionsToTreatAsEsm: ['.ts'], transform };

/** The tests that involve time, run again a year ahead and across a UTC midnight (test/clock/shiftedClock.ts). */
const TIME_DEPENDENT = [
  '<rootDir>/test/shared/audit/**/*.test.ts',
  '<rootDir>/test/integration/auditPipeline.test.ts',
  '<rootDir>/test/integration/auditQuery.test.ts',
  '<rootDir>/test/shared/policy/timeConditions.test.ts',
  '<rootDir>/test/shared/otp/totpAt.test.ts',
  '<rootDir>/test/shared/otp/matchesCode.test.ts',
  '<rootDir>/test/integration/secretLifecycle.test.ts',
  '<rootDir>/test/clock/shiftedClock.check.ts',
];

/** @type {import('jest').Config} */
export default {
  testTimeout: 60000,
  // Three on the 2-core machines (CI's too): a file often waits on its child processes (DynamoDB Local,
  // Chromium, tsx fixtures), and a third worker fills those waits: 216 and 216 s against 248 and 240 s,
  // four runs back to back on 2026-12-01.
  maxWorkers: 3,
  // One DynamoDB Local for the run, shared by the test files through prefixed tables (test/helpers/sharedDynamoDb.ts).
  globalSetup: '<rootDir>/test/setup/globalSetup.mjs',
  globalTeardown: '<rootDir>/test/setup/globalTeardown.mjs',
  // Longest files first, also from a fresh clone without jest's cache (see the file).
  testSequencer: '<rootDir>/test/slowestFirstSequencer.cjs',
  reporters: ['default', '<rootDir>/test/summaryReporter.cjs'],
  projects: [
    { ...common, displayName: 'otpvault', testMatch: ['<rootDir>/test/**/*.test.ts'] },
    { ...common, displayName: 'shifted-clock', testMatch: TIME_DEPENDENT, setupFilesAfterEnv: ['<rootDir>/test/clock/shiftedClock.ts'] },
  ],
};
