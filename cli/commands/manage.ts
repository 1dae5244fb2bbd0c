/** `otpvault templates ...`, `otpvault policies ...` and `otpvault me`. */
import type { Command } from 'commander';
import { jsonFile, wholeNumber } from '../core/input';
import { printJson, table } from '../core/output';
import { openSession } from '../core/session';
import type { CliOutput } from '../program';

export function registerManageCommands(program: Command, output: CliOutput): void {
  const templates = program.command('templates').description('secret templates');
  templates
    .command('ls')
    .description('list the templates')
    .option('--retired', 'also list retired templates')
    .option('--json', 'print as JSON')
    .action(async (options: { retired?: boolean; json?: boolean }, command: Command) => {
      const { client } = await openSession(command.optsWithGlobals());
      const { items } = await client.call('listTemplates', { query: options.retired ? { retired: 'true' } : {} });
      if (options.json) return printJson(output, { items });
      const state = (t: (typeof items)[number]) => (t.builtin ? 'built in' : t.retiredAt ? `retired ${t.retiredAt}` : `version ${t.version ?? 1}`);
      output.out(table(['ID', 'NAME', 'STATE', 'FIELDS'], items.map((t) => [t.id, t.name, state(t), t.fields.map((f) => f.name).join(', ')])));
    });
  templates
    .command('show')
    .description('show one template')
    .argument('<id>', 'template id')
    .option('--json', 'print as JSON (the default)')
    .action(async (id: string, _options: { json?: boolean }, command: Command) => {
      const { client } = await openSession(command.optsWithGlobals());
      printJson(output, await client.call('getTemplate', { params: { templateId: id } }));
    });
  templates
    .command('create')
    .description('create a custom template from a JSON file (see docs/openapi.json, createTemplate)')
    .requiredOption('--file <file>', 'the template as JSON ("-": stdin)')
    .option('--json', 'print as JSON (the default)')
    .action(async (options: { file: string }, command: Command) => {
      const body = await jsonFile(options.file);
      const { client } = await openSession(command.optsWithGlobals());
      printJson(output, await client.call('createTemplate', { body: body as never }));
    });
  templates
    .command('replace')
    .description('replace a custom template from a JSON file {name, description, fields}: every field it has keeps its name, type and sensitivity')
    .argument('<id>', 'template id')
    .requiredOption('--file <file>', 'the new template as JSON ("-": stdin)')
    .option('--version <n>', 'only if the template is still at this version', wholeNumber)
    .option('--json', 'print as JSON (the default)')
    .action(async (id: string, options: { file: string; version?: number }, command: Command) => {
      const body = await jsonFile(options.file);
      const { client } = await openSession(command.optsWithGlobals());
      const query = options.version !== undefined ? { version: options.version } : {};
      printJson(output, await client.call('replaceTemplate', { params: { templateId: id }, query, body: body as never }));
    });
  templates
    .command('retire')
    .description('retire a custom template: no new secret can be built from it; the secrets built from it keep working')
    .argument('<id>', 'template id')
    .option('--version <n>', 'only if the template is still at this version', wholeNumber)
    .action(async (id: string, options: { version?: number }, command: Command) => {
      const { client } = await openSession(command.optsWithGlobals());
      await client.call('deleteTemplate', { params: { templateId: id }, query: options.version !== undefined ? { version: options.version } : {} });
      output.out(`template ${id} retired\n`);
    });

  const policies = program.command('policies').description('access policies (default deny)');
  policies
    .command('ls')
    .description('list the policies, built-in ones first')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const { client } = await openSession(command.optsWithGlobals());
      const answer = await client.call('listPolicies');
      if (options.json) return printJson(output, answer);
      output.out(table(['ID', 'EFFECT', 'NAME', 'PRINCIPALS', 'ACTIONS'], answer.items.map((p) => [p.id, p.effect, p.name, p.principals.join(','), p.actions.join(',')])));
    });
  policies
    .command('show')
    .description('show one policy')
    .argument('<id>', 'policy id')
    .option('--json', 'print as JSON (the default)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { client } = await openSession(command.optsWithGlobals());
      printJson(output, await client.call('getPolicy', { params: { policyId: id } }));
    });
  policies
    .command('create')
    .description('create a policy from a JSON file')
    .requiredOption('--file <file>', 'the policy as JSON ("-": stdin)')
    .option('--json', 'print as JSON (the default)')
    .action(async (options: { file: string }, command: Command) => {
      const body = await jsonFile(options.file);
      const { client } = await openSession(command.optsWithGlobals());
      printJson(output, await client.call('createPolicy', { body: body as never }));
    });
  policies
    .command('rm')
    .description('delete a policy')
    .argument('<id>', 'policy id')
    .option('--version <n>', 'only if the policy is still at this version')
    .option('--json', 'print {"deleted": id}')
    .action(async (id: string, options: { version?: string; json?: boolean }, command: Command) => {
      const { client } = await openSession(command.optsWithGlobals());
      await client.call('deletePolicy', { params: { policyId: id }, query: { version: options.version } });
      if (options.json) return printJson(output, { deleted: id });
      output.out(`deleted ${id}\n`);
    });
  policies
    .command('simulate')
    .description('what the policies decide for a caller, action and path, and why')
    .requiredOption('--principal <p>', 'user:<name>, service:<name> or role:<role ARN>')
    .requiredOption('--action <action>', 'e.g. otp:generate')
    .requiredOption('--path <path>', 'secret path, or * for global actions')
    .option('--groups <g1,g2>', 'groups of the caller', (v: string) => v.split(',').map((g) => g.trim()).filter(Boolean))
    .option('--source-ip <ip>', 'source IP of the request')
    .option('--time <iso>', 'when (ISO 8601); now by default')
    .option('--json', 'print the whole answer as JSON')
    .action(async (options: { principal: string; action: string; path: string; groups?: string[]; sourceIp?: string; time?: string; json?: boolean }, command: Command) => {
      const { client } = await openSession(command.optsWithGlobals());
      const body = {
        principal: options.principal,
        action: options.action,
        path: options.path,
        ...(options.groups ? { groups: options.groups } : {}),
        ...(options.sourceIp ? { sourceIp: options.sourceIp } : {}),
        ...(options.time ? { time: options.time } : {}),
      };
      const answer = await client.call('simulatePolicy', { body: body as never });
      if (options.json) return printJson(output, answer);
      output.out(`${answer.allowed ? 'ALLOWED' : 'DENIED'}: ${answer.reason}\n`);
      // A policy bound to an earlier account of the simulated user: the admin may have meant to grant it.
      for (const warning of answer.warnings ?? []) output.out(`warning: ${warning}\n`);
    });

  program
    .command('me')
    .description('who the API thinks you are, your groups and what you may do')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const { client } = await openSession(command.optsWithGlobals());
      const me = await client.call('getMe');
      if (options.json) return printJson(output, me);
      const lines = [`${me.principal.id}${me.groups.length ? `  (groups: ${me.groups.join(', ')})` : ''}`];
      for (const row of me.permissions) if (row.allow.length > 0) lines.push(`  ${row.action.padEnd(16)} ${row.allow.join(' ')}${row.deny.length ? `  except ${row.deny.join(' ')}` : ''}`);
      output.out(`${lines.join('\n')}\n`);
    });
}
