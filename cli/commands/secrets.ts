/** `otpvault secrets ls|show|create|rm` and `otpvault seed set`. */
import type { Command } from 'commander';
import type { SecretView } from '../../shared/secrets/view';
import { CliError, EXIT } from '../core/errors';
import { fileOrStdin, seedInput, wholeNumber, type SeedOptions } from '../core/input';
import { printJson, progress, table } from '../core/output';
import { secretIdOf } from '../core/secretRef';
import { openSession } from '../core/session';
import type { CliOutput } from '../program';

/** Most secrets `secrets ls` collects across pages unless told otherwise. */
const LIST_MAX = 1000;

function seedOptions(command: Command): Command {
  return command
    .option('--qr <picture>', 'a photo or screenshot (PNG or JPEG) of the enrollment QR code')
    .option('--uri <uri>', 'an otpauth:// or otpauth-migration:// URI ("-": read it from stdin)')
    .option('--key <setup-key>', 'the base32 setup key ("-": read it from stdin)')
    .option('--algorithm <name>', 'with --key: SHA1, SHA256 or SHA512')
    .option('--digits <n>', 'with --key: code length, 6 to 8', wholeNumber)
    .option('--period <seconds>', 'with --key: seconds per code', wholeNumber)
    .option('--verify-code <code>', 'the code the authenticator shows now; the seed is refused unless it matches');
}

export function registerSecretCommands(program: Command, output: CliOutput): void {
  const secrets = program.command('secrets').description('secrets: metadata and non-sensitive fields (never a seed)');
  secrets
    .command('ls')
    .description('list the secrets you may read, in path order')
    .option('--prefix <prefix>', 'only paths starting with this')
    .option('--limit <n>', `at most this many (default ${LIST_MAX})`, wholeNumber)
    .option('--json', 'print the secrets as JSON')
    .action(async (options: { prefix?: string; limit?: number; json?: boolean }, command: Command) => {
      const { client } = await openSession(command.optsWithGlobals());
      const max = options.limit ?? LIST_MAX;
      const items: SecretView[] = [];
      const shown = progress();
      let cursor: string | undefined;
      do {
        const page = await client.call('listSecrets', { query: { prefix: options.prefix, cursor, limit: Math.min(100, max - items.length) } });
        items.push(...page.items);
        cursor = page.nextCursor;
        shown.update(`${items.length} secrets ...`);
      } while (cursor && items.length < max);
      shown.done();
      if (options.json) return printJson(output, { items });
      output.out(table(['ID', 'PATH', 'TEMPLATE', 'UPDATED'], items.map((s) => [s.id, s.path, s.template, s.updatedAt])));
    });
  secrets
    .command('show')
    .description('show a secret: metadata, non-sensitive fields, seed parameters (never the seed)')
    .argument('<secret>', 'secret path or id')
    .option('--json', 'print as JSON')
    .action(async (secret: string, options: { json?: boolean }, command: Command) => {
      const { client } = await openSession(command.optsWithGlobals());
      const view = await client.call('getSecret', { params: { secretId: await secretIdOf(client, secret) } });
      if (options.json) return printJson(output, view);
      const lines = [`${view.path}  (${view.id}, template ${view.template}, version ${view.version})`];
      if (view.description) lines.push(view.description);
      for (const [name, value] of Object.entries(view.fields)) lines.push(`  ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
      output.out(`${lines.join('\n')}\n`);
    });
  seedOptions(
    secrets
      .command('create')
      .description('create a secret from a template; the seed may come from a QR picture, a URI or a setup key')
      .argument('<path>', 'secret path, e.g. /aws/prod/root')
      .requiredOption('--template <id>', 'template id (otpvault templates ls)')
      .option('--description <text>', 'what the secret is for')
      .option('--field <name=value...>', 'a field value (repeatable)')
      .option('--recovery-codes <file>', 'recovery codes, one per line ("-": stdin)')
      .option('--seed-field <name>', 'the template field holding the seed', 'otpSeed'),
  )
    .option('--json', 'print the created secret as JSON')
    .addHelpText('after', '\nExample:\n  otpvault secrets create /aws/prod/root --template otp-only --qr ./enrollment.jpg')
    .action(async (path: string, options: SeedOptions & { template: string; description?: string; field?: string[]; recoveryCodes?: string; seedField: string; json?: boolean }, command: Command) => {
      const fields: Record<string, unknown> = {};
      for (const pair of options.field ?? []) {
        const at = pair.indexOf('=');
        if (at <= 0) throw new CliError(`--field wants name=value, got "${pair}"`, EXIT.invalid);
        fields[pair.slice(0, at)] = pair.slice(at + 1);
      }
      const seed = await seedInput(options);
      if (seed) fields[options.seedField] = seed;
      if (options.recoveryCodes) fields.recoveryCodes = (await fileOrStdin(options.recoveryCodes)).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
      const { client } = await openSession(command.optsWithGlobals());
      const created = await client.call('createSecret', { body: { path, template: options.template, ...(options.description ? { description: options.description } : {}), fields } });
      if (options.json) return printJson(output, created);
      output.out(`${created.id}\n`);
    });
  secrets
    .command('rm')
    .description('delete a secret with its seed and recovery codes')
    .argument('<secret>', 'secret path or id')
    .option('--yes', 'really delete (required)')
    .option('--json', 'print {"deleted": id}')
    .action(async (secret: string, options: { yes?: boolean; json?: boolean }, command: Command) => {
      if (!options.yes) throw new CliError('deleting a secret cannot be undone: add --yes', EXIT.invalid);
      const { client } = await openSession(command.optsWithGlobals());
      const secretId = await secretIdOf(client, secret);
      await client.call('deleteSecret', { params: { secretId } });
      if (options.json) return printJson(output, { deleted: secretId });
      output.out(`deleted ${secretId}\n`);
    });

  const seed = program.command('seed').description('OTP seeds (write-only: a seed is never shown again)');
  seedOptions(seed.command('set').description('overwrite the OTP seed of a secret').argument('<secret>', 'secret path or id'))
    .option('--json', 'print the updated secret as JSON')
    .addHelpText('after', '\nExamples:\n  otpvault seed set /aws/prod/root --qr ./photo.jpg --verify-code 123456\n  printf %s "$KEY" | otpvault seed set /vendor/x --key - --digits 8')
    .action(async (secret: string, options: SeedOptions & { json?: boolean }, command: Command) => {
      const body = await seedInput(options);
      if (!body) throw new CliError('give the seed: --qr <picture>, --uri <uri> or --key <setup-key>', EXIT.invalid);
      const { client } = await openSession(command.optsWithGlobals());
      const view = await client.call('overwriteSeed', { params: { secretId: await secretIdOf(client, secret) }, body: body as never });
      if (options.json) return printJson(output, view);
      output.out(`seed of ${view.path} replaced (version ${view.version})\n`);
    });
}
