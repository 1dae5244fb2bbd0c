/**
 * Named failures of the local runner. Each message says what went wrong and what to do about it,
 * because the reader is a developer at a terminal.
 */

/** `java` is not on PATH, or is older than DynamoDB Local needs. */
export class JavaNotFoundError extends Error {
  constructor(detail: string) {
    super(
      `DynamoDB Local needs Java 17 or newer: ${detail}. ` +
        'On Debian/Ubuntu install it with `sudo apt-get install -y openjdk-17-jre-headless`; ' +
        'elsewhere install any Java 17+ runtime and make sure `java` is on PATH.',
    );
    this.name = 'JavaNotFoundError';
  }
}

/** DynamoDB Local exited early or did not answer in time. */
export class DynamoDbLocalStartError extends Error {
  /** The last lines the process wrote, for the report. */
  readonly output: string;

  constructor(message: string, output: string) {
    super(output ? `${message}\n--- DynamoDB Local output ---\n${output}` : message);
    this.name = 'DynamoDbLocalStartError';
    this.output = output;
  }
}

/** A table on disk no longer matches its definition in `shared/store/tables.ts`. */
export class TableMismatchError extends Error {
  constructor(tableName: string, detail: string, dataDir: string) {
    super(
      `table ${tableName} in DynamoDB Local does not match shared/store/tables.ts (${detail}). ` +
        `Delete ${dataDir} (or just its dynamodb/ folder) to recreate the tables; local data will be lost.`,
    );
    this.name = 'TableMismatchError';
  }
}

/** The HTTP port is taken. */
export class PortInUseError extends Error {
  readonly port: number;

  constructor(host: string, port: number) {
    super(
      `port ${port} on ${host} is already in use (is another \`npm start\` running?). ` +
        'Stop the other process or choose another port, e.g. `PORT=8788 npm start`.',
    );
    this.name = 'PortInUseError';
    this.port = port;
  }
}

/** Another live process runs a local stack on the same data directory. */
export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `the data directory ${dataDir} is in use by another local stack (pid ${pid}). ` +
        'Stop it first, or use another directory with OTPVAULT_DATA_DIR.',
    );
    this.name = 'DataDirInUseError';
  }
}

/** The CLI was asked for a token before `npm start` ever created the issuer's key. */
export class IssuerNotInitialisedError extends Error {
  constructor(issuerDir: string) {
    super(
      `the local token issuer has not been initialised: no key in ${issuerDir}. ` +
        'Run `npm start` once (it creates the key), or pass the --data-dir the running stack uses.',
    );
    this.name = 'IssuerNotInitialisedError';
  }
}

/** A token request the issuer refuses (bad name, both or neither principal, bad lifetime). */
export class InvalidTokenRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenRequestError';
  }
}

/** The stack was started twice in one process (handlers keep their configuration at module level). */
export class StackAlreadyStartedError extends Error {
  constructor() {
    super(
      'the local stack has already been started in this process. Lambda handlers keep their configuration ' +
        '(endpoints, table names) at module level, so start one stack per process and reuse it.',
    );
    this.name = 'StackAlreadyStartedError';
  }
}
