/**
 * Just-in-time access from the command line: `otpvault request <path|id>` asks for a grant on a
 * secret whose policy needs approval (and with `--wait` waits for the decision); `otpvault
 * approvals ls|approve|deny|withdraw` is the approver's inbox and the requester's way back out.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { APPROVAL_LIMITS, REQUEST_STATUSES, type AccessRequestView, type RequestStatus } from '../../shared/approvals/model';
import type { Client } from '../../shared/client/client';
import { CliError, EXIT } from '../core/errors';
import { wholeNumber } from '../core/input';
import { printJson, progress, table } from '../core/output';
import { openSession } from '../core/session';
import type { CliOutput } from '../program';

/** Requests `approvals ls` shows unless told otherwise. */
const LIST_DEFAULT = 50;

/** How `--wait` polls: the first pause, the longest one, and how long it waits unless told. */
export const WAIT = { firstPollMs: 1_000, maxPollMs: 10_000, defaultTimeoutSeconds: 900 } as const;

interface RequestOptions {
  justification: string;
  actions: string[];
  minutes?: number;
  wait?: boolean;
  timeout: number;
  json?: boolean;
}

interface ListOptions {
  status?: RequestStatus;
  mine?: boolean;
  toApprove?: boolean;
  limit?: number;
  json?: boolean;
}

const commaList = (value: string): string[] => value.split(',').map((a) => a.trim()).filter(Boolean);

function statusOption(value: string): RequestStatus {
  if (!(REQUEST_STATUSES as readonly string[]).includes(value)) throw new InvalidArgumentError(`unknown status ${value}; use ${REQUEST_STATUSES.join(', ')}`);
  return value as RequestStatus;
}

export function registerApprovalCommands(program: Command, output: CliOutput): void {
  program
    .command('request')
    .description('ask for just-in-time access to a secret whose policy needs approval')
    .argument('<secret>', 'secret path (/aws/prod/root) or id')
    .requiredOption('--justification <text>', 'why you need access (the approvers and the audit log see it)')
    .option('--actions <a1,a2>', 'the secret actions asked for', commaList, ['otp:generate'])
    .option('--minutes <n>', "how long the grant should hold once approved (the policy's grantMinutes caps it)", wholeNumber)
    .option('--wait', 'wait until the request is approved, denied or expired (exit 0 only when approved)')
    .option('--timeout <seconds>', 'with --wait: give up after this long, leaving the request pending', wholeNumber, WAIT.defaultTimeoutSeconds)
    .option('--json', 'print the request as JSON (with --wait: as it ended)')
    .addHelpText(
      'after',
      [
        '',
        'With --wait: exit 0 approved, 4 denied, 6 withdrawn or expired, 9 still pending after --timeout.',
        '',
        'Examples:',
        '  otpvault request /aws/prod/root --justification "INC-42: rotate the root keys" --wait && otpvault otp /aws/prod/root',
        '  otpvault request /aws/prod/root --justification "audit" --actions otp:generate,recovery:reveal --minutes 15',
      ].join('\n'),
    )
    .action(async (secret: string, options: RequestOptions, command: Command) => {
      const { client } = await openSession(command.optsWithGlobals());
      const body = {
        ...(secret.startsWith('/') ? { path: secret } : { secretId: secret }),
        actions: options.actions,
        justification: options.justification,
        ...(options.minutes !== undefined ? { minutes: options.minutes } : {}),
      };
      const created = await client.call('createAccessRequest', { body: body as never });
      if (!options.wait) {
        if (options.json) return printJson(output, created);
        return output.out(`${describeRequest(created)}\n`);
      }
      if (!options.json) output.out(`${describeRequest(created)}\n`);
      const ended = await waitForDecision(client, created, options.timeout * 1000);
      if (options.json) printJson(output, ended);
      else if (ended.status !== 'pending') output.out(`${describeRequest(ended)}\n`);
      failUnlessApproved(ended, options.timeout);
    });

  const approvals = program.command('approvals').description('access requests: the ones you made and the ones you may decide');
  approvals
    .command('ls')
    .description('list access requests you made or may decide, newest first')
    .option('--status <status>', `only requests in this status (${REQUEST_STATUSES.join(', ')})`, statusOption)
    .option('--mine', 'only the requests you made')
    .option('--to-approve', 'only pending requests you may approve and have not approved yet')
    .option('--limit <n>', `at most this many (default ${LIST_DEFAULT})`, wholeNumber)
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nExamples:\n  otpvault approvals ls --to-approve\n  otpvault approvals ls --mine --status approved')
    .action(async (options: ListOptions, command: Command) => {
      if (options.mine && options.toApprove) throw new CliError('give --mine or --to-approve, not both', EXIT.invalid);
      const max = options.limit ?? LIST_DEFAULT;
      if (max < 1) throw new CliError('--limit is at least 1', EXIT.invalid);
      const { client } = await openSession(command.optsWithGlobals());
      const query = {
        ...(options.status ? { status: options.status } : {}),
        ...(options.mine ? { mine: 'true' as const } : {}),
        ...(options.toApprove ? { toApprove: 'true' as const } : {}),
      };
      // A page is filtered after a bounded read on the server: it may be short, or empty, with more behind it.
      const items: AccessRequestView[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.call('listAccessRequests', { query: { ...query, cursor, limit: Math.min(APPROVAL_LIMITS.listMaxLimit, max - items.length) } });
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && items.length < max);
      if (options.json) return printJson(output, { items });
      output.out(
        table(
          ['ID', 'STATUS', 'REQUESTER', 'PATH', 'ACTIONS', 'APPROVALS', 'UNTIL', 'JUSTIFICATION'],
          items.map((r) => [r.id, r.status, r.requester, r.path, r.actions.join(','), `${r.approvals.length}/${r.minApprovals}`, until(r), r.justification]),
        ),
      );
    });
  approvals
    .command('approve')
    .description('approve a pending request (not your own; the policy must name you as an approver)')
    .argument('<requestId>', 'access request id')
    .option('--comment <text>', 'why, for the requester and the audit log')
    .option('--json', 'print the request as JSON')
    .action(async (requestId: string, options: { comment?: string; json?: boolean }, command: Command) => {
      const { client } = await openSession(command.optsWithGlobals());
      const answer = await client.call('approveAccessRequest', { params: { requestId }, body: options.comment !== undefined ? { comment: options.comment } : {} });
      if (options.json) return printJson(output, answer);
      output.out(`${describeRequest(answer)}\n`);
    });
  approvals
    .command('deny')
    .description('deny a pending request (not your own; the policy must name you as an approver)')
    .argument('<requestId>', 'access request id')
    .option('--comment <text>', 'why, for the requester and the audit log')
    .option('--json', 'print the request as JSON')
    .action(async (requestId: string, options: { comment?: string; json?: boolean }, command: Command) => {
      const { client } = await openSession(command.optsWithGlobals());
      const answer = await client.call('denyAccessRequest', { params: { requestId }, body: options.comment !== undefined ? { comment: options.comment } : {} });
      if (options.json) return printJson(output, answer);
      output.out(`${describeRequest(answer)}\n`);
    });
  approvals
    .command('withdraw')
    .description('withdraw a request you made (a granted one ends its grant now)')
    .argument('<requestId>', 'access request id')
    .option('--json', 'print the request as JSON')
    .action(async (requestId: string, options: { json?: boolean }, command: Command) => {
      const { client } = await openSession(command.optsWithGlobals());
      const answer = await client.call('withdrawAccessRequest', { params: { requestId } });
      if (options.json) return printJson(output, answer);
      output.out(`${describeRequest(answer)}\n`);
    });
}

/**
 * Polls the request until it is no longer pending or `timeoutMs` has passed, pausing a little
 * longer each time (from WAIT.firstPollMs up to WAIT.maxPollMs). Progress goes to stderr on a
 * terminal only. Returns the request as last seen (still pending after a timeout).
 */
export async function waitForDecision(
  client: Client,
  request: AccessRequestView,
  timeoutMs: number,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<AccessRequestView> {
  const shown = progress();
  const started = Date.now();
  let current = request;
  let pause: number = WAIT.firstPollMs;
  try {
    while (current.status === 'pending') {
      const left = timeoutMs - (Date.now() - started);
      if (left <= 0) return current;
      shown.update(`waiting for approval of ${current.id} (${current.approvals.length}/${current.minApprovals}, ${Math.round((Date.now() - started) / 1000)} s) ...`);
      await sleep(Math.min(pause, left));
      pause = Math.min(pause * 2, WAIT.maxPollMs);
      current = await client.call('getAccessRequest', { params: { requestId: current.id } });
    }
    return current;
  } finally {
    shown.done();
  }
}

/** The exit of `request --wait`: 0 approved, otherwise a CliError naming how it ended. */
function failUnlessApproved(request: AccessRequestView, timeoutSeconds: number): void {
  switch (request.status) {
    case 'approved':
      return;
    case 'denied':
      throw new CliError(`request ${request.id} was denied${request.decidedBy ? ` by ${request.decidedBy}` : ''}${request.comment ? `: ${request.comment}` : ''}`, EXIT.denied);
    case 'pending':
      throw new CliError(`request ${request.id} is still pending after ${timeoutSeconds} s; wait again, or withdraw it with otpvault approvals withdraw ${request.id}`, EXIT.timedOut);
    default:
      throw new CliError(`request ${request.id} ended ${request.status} without a grant`, EXIT.conflict);
  }
}

function until(request: AccessRequestView): string {
  if (request.status === 'approved') return request.grantUntil ?? '';
  if (request.status === 'pending') return request.pendingUntil;
  return '';
}

/** One line about a request: its id, status and what happens next. */
function describeRequest(request: AccessRequestView): string {
  const head = `request ${request.id} ${request.status}`;
  switch (request.status) {
    case 'pending':
      return `${head}: ${request.approvals.length} of ${request.minApprovals} approval(s) from ${request.approvers.join(', ')}, until ${request.pendingUntil}`;
    case 'approved':
      return `${head}: ${request.actions.join(',')} on ${request.path} until ${request.grantUntil ?? '?'}`;
    case 'denied':
      return `${head}${request.decidedBy ? ` by ${request.decidedBy}` : ''}${request.comment ? `: ${request.comment}` : ''}`;
    default:
      return head;
  }
}
