/** `otpvault audit query|export` (`audit verify` lives in auditVerify.ts). */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { AuditEvent } from '../../shared/audit/event';
import { wholeNumber } from '../core/input';
import { printJson, progress, table } from '../core/output';
import { openSession } from '../core/session';
import type { CliOutput } from '../program';

interface FilterOptions {
  actor?: string;
  secret?: string;
  action?: string;
  result?: string;
  from?: string;
  to?: string;
}

function filterOptions(command: Command): Command {
  return command
    .option('--actor <principal>', 'e.g. user:alice, role:arn:aws:iam::123456789012:role/ci')
    .option('--secret <path|id>', 'events about this secret (a path matches by path, even after the secret is gone)')
    .option('--action <action>', 'e.g. otp:generate')
    .option('--result <result>', 'allowed, denied or error')
    .option('--from <time>', 'earliest time, ISO 8601')
    .option('--to <time>', 'latest time, ISO 8601');
}

function filters(options: FilterOptions): Record<string, string | undefined> {
  const bySecret = options.secret === undefined ? {} : options.secret.startsWith('/') ? { path: options.secret } : { secretId: options.secret };
  return { actor: options.actor, action: options.action, result: options.result, from: options.from, to: options.to, ...bySecret };
}

export function registerAuditCommands(program: Command, output: CliOutput): void {
  const audit = program.commands.find((c) => c.name() === 'audit') ?? program.command('audit').description('the audit log and its archive');
  filterOptions(audit.command('query').description('audit events, newest first'))
    .option('--limit <n>', 'at most this many events (default 100)', wholeNumber)
    .option('--json', 'print the events as JSON')
    .action(async (options: FilterOptions & { limit?: number; json?: boolean }, command: Command) => {
      const { client } = await openSession(command.optsWithGlobals());
      const max = options.limit ?? 100;
      const items: AuditEvent[] = [];
      const shown = progress();
      let cursor: string | undefined;
      do {
        const page = await client.call('queryAudit', { query: { ...filters(options), cursor, limit: Math.min(100, max - items.length) } as never });
        items.push(...page.items);
        cursor = page.nextCursor;
        shown.update(`${items.length} events ...`);
      } while (cursor && items.length < max);
      shown.done();
      if (options.json) return printJson(output, { items });
      output.out(
        table(
          ['TIME', 'ACTOR', 'ACTION', 'RESULT', 'TARGET', 'REASON'],
          items.map((e) => [e.time, e.actor.principal, e.action, `${e.result} ${e.status}`, e.target.path ?? e.target.secretId ?? '', e.reason]),
        ),
      );
    });
  filterOptions(audit.command('export').description('every event of a range as one CSV or JSON Lines file'))
    .option('--format <format>', 'csv or jsonl', 'csv')
    .option('-o, --output <file>', 'write to this file (default: stdout)')
    .option('--json', 'with -o: print {"file","bytes"}')
    .action(async (options: FilterOptions & { format: string; output?: string; json?: boolean }, command: Command) => {
      const { client } = await openSession(command.optsWithGlobals());
      const query = { ...filters(options), format: options.format };
      const shown = progress();
      shown.update('exporting ...');
      const answer = await client.raw('exportAudit', { query: query as never }).finally(() => shown.done());
      if (!options.output) return output.out(answer.text);
      await writeFile(options.output, answer.text, { mode: 0o600 });
      if (options.json) return printJson(output, { file: options.output, bytes: Buffer.byteLength(answer.text) });
      output.out(`wrote ${options.output}\n`);
    });
}
