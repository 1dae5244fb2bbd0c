/**
 * The `otpvault` command line. Each command group lives in its own file under `commands/` and
 * registers itself on the program (`register<Group>Commands`); this file only wires them. Command
 * files import only the light typed client at load time; whatever is heavy (the AWS SDK, the local
 * stack's modules) is imported inside the action that needs it, so `otp --quiet` starts fast.
 */
import { Command } from 'commander';
import { registerApprovalCommands } from './commands/approvals';
import { registerAuditCommands } from './commands/audit';
import { registerAuditVerifyCommand } from './commands/auditVerify';
import { registerConfigureCommands } from './commands/configure';
import { registerLocalCommands } from './commands/local';
import { registerManageCommands } from './commands/manage';
import { registerOtpCommands } from './commands/otp';
import { registerSecretCommands } from './commands/secrets';

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
    .option('--profile <name>', 'the profile to use or configure (default: $OTPVAULT_PROFILE or default)')
    .option('--endpoint <url>', 'API base URL, overriding the profile\'s (also $OTPVAULT_ENDPOINT)')
    .option('--token-file <file>', 'read the bearer token from this file (or set $OTPVAULT_TOKEN)')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 unexpected failure, 2 invalid input, 3 not authenticated, 4 access denied, 5 not found, 6 conflict, 7 server or audit log unavailable, 8 audit verify found problems, 9 gave up waiting (request --wait).',
    )
    .configureOutput({ writeOut: output.out, writeErr: output.err })
    .showHelpAfterError()
    .exitOverride();
  // Command groups are added after the settings above so that they inherit them.
  registerConfigureCommands(program, output);
  registerOtpCommands(program, output);
  registerSecretCommands(program, output);
  registerManageCommands(program, output);
  registerApprovalCommands(program, output);
  registerAuditCommands(program, output);
  registerAuditVerifyCommand(program, output);
  registerLocalCommands(program, output);
  return program;
}
