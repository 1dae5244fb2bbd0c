// Runs the longest test files first, so no worker is left alone with a long file at the end
// of the run (longest-first is the classic greedy answer to spreading jobs over a few workers).
//
// Jest's own sequencer orders by the durations it cached from the last run, which a fresh clone (CI)
// does not have: it then falls back to file size, which put the browser tests (the longest file) behind
// dozens of larger but quicker files. It also loses the durations of the files that run in both
// projects (`shifted-clock` reruns some `otpvault` files): its cache is keyed by path alone, so one
// project's result lands in the other's cache, and files without a duration are run first.
//
// So each file is ranked by its cached duration when jest has one for that project, else by the
// duration measured here (KNOWN_SECONDS, from a full run on 2 cores), else it runs after those,
// largest first as before. Keep KNOWN_SECONDS roughly current when a file becomes slow or fast;
// being wrong only costs wall time, never a test.
const { relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Seconds each slow file took in a full run (`project:path`), files of about 5 s and more; console,
 * phoneFormats, the infra stack, row parity, the authorization matrix, the oathtool cross-check, the
 * CLI login and the DynamoDB Local port and orphan tests scaled by what their speed-ups saved in
 * single-file runs.
 * The files on the run's shared DynamoDB Local (test vaults and fixtures) and those that keep their
 * own were measured again once they shared it: a full run on a busy machine, divided by 2 (the median
 * slow-down of files the change did not touch in that run).
 */
const KNOWN_SECONDS = {
  'otpvault:test/web/console.test.ts': 45,
  'otpvault:test/integration/authorizationMatrix.test.ts': 27,
  'otpvault:test/infra/stack.test.ts': 16,
  'otpvault:test/e2e/cli.test.ts': 21,
  'otpvault:test/integration/approvals.test.ts': 7,
  'otpvault:test/integration/secretLifecycle.test.ts': 13,
  'shifted-clock:test/integration/secretLifecycle.test.ts': 10,
  'otpvault:test/integration/keyUriIntake.test.ts': 8,
  'otpvault:test/integration/noPlaintextAtRest.test.ts': 14,
  'otpvault:test/shared/otp/oathtool.test.ts': 9,
  'otpvault:test/shared/seed/qr/phoneFormats.test.ts': 9,
  'otpvault:test/integration/invalidInput.test.ts': 10,
  'otpvault:test/integration/cliApprovals.test.ts': 11,
  'otpvault:test/integration/auditQuery.test.ts': 11,
  'shifted-clock:test/integration/auditQuery.test.ts': 7,
  'otpvault:test/integration/policies.test.ts': 7,
  'otpvault:test/cli/login.test.ts': 9,
  'otpvault:test/local/runner/dynamoPortTaken.test.ts': 7,
  'otpvault:test/integration/authentication.test.ts': 6,
  'otpvault:test/integration/routeGaps.test.ts': 9,
  'otpvault:test/integration/auditFailClosed.test.ts': 5,
  'otpvault:test/integration/cliCommands.test.ts': 5,
  'otpvault:test/local/runner/dynamoOrphan.test.ts': 9,
  'otpvault:test/local/runner/dynamo.test.ts': 10,
  'otpvault:test/integration/machineCallers.test.ts': 6,
  'otpvault:test/integration/auditPipeline.test.ts': 7,
  'shifted-clock:test/integration/auditPipeline.test.ts': 7,
  'otpvault:test/shared/audit/archive/verifyArchive.test.ts': 3,
  'shifted-clock:test/shared/audit/archive/verifyArchive.test.ts': 4,
  'otpvault:test/infra/auditPipeline.test.ts': 10,
  'otpvault:test/integration/alerts.test.ts': 6,
  'otpvault:test/infra/nag.test.ts': 10,
  'otpvault:test/integration/typedClient.test.ts': 5,
  'otpvault:test/integration/listingLeaks.test.ts': 5,
  'otpvault:test/integration/mySecrets.test.ts': 6,
  'otpvault:test/integration/iamApi.test.ts': 5,
  'otpvault:test/integration/fieldReveal.test.ts': 4,
  'otpvault:test/integration/auditVerifySelf.test.ts': 6,
  'otpvault:test/integration/auditBounds.test.ts': 5,
  'otpvault:test/integration/otpWaitDecision.test.ts': 4,
  'otpvault:test/integration/secretDelete.test.ts': 4,
  'otpvault:test/local/runner/streamPollerWorker.test.ts': 10,
  'otpvault:test/shared/audit/consumer/streamConsumer.test.ts': 4,
  'otpvault:test/shared/api/rowParity.test.ts': 5,
  'shifted-clock:test/shared/audit/consumer/streamConsumer.test.ts': 5,
  'otpvault:test/shared/policy/store/policyCache.test.ts': 6,
  'otpvault:test/integration/reuseWarning.test.ts': 4,
  'otpvault:test/infra/pictureBundle.test.ts': 7,
  'otpvault:test/local/runner/localIsolation.test.ts': 15,
  'otpvault:test/local/runner/stack.test.ts': 6,
  'otpvault:test/shared/seed/qr/decodeQrTexts.test.ts': 6,
  'otpvault:test/shared/seed/qr/corpus.test.ts': 6,
  'otpvault:test/infra/alerts.test.ts': 5,
  // Files that keep a DynamoDB Local of their own, and files that were missing here (full run of 2026-12-01).
  'otpvault:test/local/runner/stackExit.test.ts': 27,
  'otpvault:test/integration/refusalWindows.test.ts': 7,
  'otpvault:test/integration/userRecreation.test.ts': 6,
  'otpvault:test/integration/publicRouteAudit.test.ts': 6,
  'otpvault:test/integration/requestLogs.test.ts': 5,
  'otpvault:test/local/runner/dynamoExitWithOwner.test.ts': 5,
};

/** `project:path` of a test, the key of KNOWN_SECONDS. */
function keyOf(test) {
  const { displayName, rootDir } = test.context.config;
  const project = typeof displayName === 'string' ? displayName : (displayName?.name ?? '');
  return `${project}:${relative(rootDir, test.path).split('\\').join('/')}`;
}

class SlowestFirstSequencer extends Sequencer {
  /** Milliseconds the file is expected to take, or undefined when nothing is known. */
  expectedMs(test) {
    const known = KNOWN_SECONDS[keyOf(test)];
    const cached = this.time(test);
    // A file run in both projects has its cache entry overwritten by the other project (see above):
    // the measured figure is the better guess for those.
    if (known !== undefined && (cached === undefined || keyOf(test).startsWith('shifted-clock:'))) return known * 1000;
    return cached;
  }

  sort(tests) {
    const size = (test) => test.context.hasteFS.getSize(test.path) ?? 0;
    const ranked = tests.map((test) => ({ test, failed: this.hasFailed(test), ms: this.expectedMs(test), bytes: size(test) }));
    ranked.sort((a, b) => {
      // Last run's failures first, as jest does: the quickest feedback where it matters most.
      if (a.failed !== b.failed) return a.failed ? -1 : 1;
      if ((a.ms === undefined) !== (b.ms === undefined)) return a.ms === undefined ? 1 : -1;
      if (a.ms !== undefined && b.ms !== undefined && a.ms !== b.ms) return b.ms - a.ms;
      return b.bytes - a.bytes;
    });
    return ranked.map(({ test }) => test);
  }
}

module.exports = SlowestFirstSequencer;
