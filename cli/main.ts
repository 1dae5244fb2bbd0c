/** Entry point: `npm run --silent otpvault -- <command>` (or the `otpvault` bin). */
import { CommanderError } from 'commander';
import { describeFailure, EXIT } from './core/errors';
import { createProgram } from './program';

try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed help or the usage error already; a usage error is invalid input.
    const usage = error.exitCode === 1 && error.code !== 'commander.error';
    process.exitCode = usage || (error.code === 'commander.error' && error.exitCode === 1) ? EXIT.invalid : error.exitCode;
  } else {
    const { exitCode, message } = describeFailure(error);
    process.stderr.write(`otpvault: ${message}\n`);
    process.exitCode = exitCode;
  }
}
