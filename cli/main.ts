/** Entry point: `npm run --silent otpvault -- <command>`. */
import { CommanderError } from 'commander';
import { createProgram } from './program';

try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed help or the usage error already.
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`otpvault: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
