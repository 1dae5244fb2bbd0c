/**
 * The `otpvault` command line. Each command group lives in its own file under `commands/` and
 * registers itself on the program (`register<Group>Commands`); this file only wires them.
 */
import { Command } from 'commander';
import { registerAuditVerifyCommand } from './commands/auditVerify';
import { registerLocalCommands } from './commands/local';

/** Where a command writes; injected so tests can capture it. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * Builds the program with every command group.
 *
 * @param output - Where commands print. @default stdout and stderr
 * @example
 * await createProgram().parseAsync(process.argv);
 */
export function createProgram(output: CliOutput = processOutput): Command {
  const program = new Command('otpvault')
    .description('otpvault: shared one-time passwords, from the command line')
    .configureOutput({ writeOut: output.out, writeErr: output.err })
    .showHelpAfterError()
    .exitOverride();
  // Command groups are added after the settings above so that they inherit them.
  registerLocalCommands(program, output);
  registerAuditVerifyCommand(program, output);
  return program;
}
