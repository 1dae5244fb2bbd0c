import type { AuditEvent } from '../event';

/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/**
 * Characters that require a cell to be quoted: RFC 4180's, plus `;` and tab, which spreadsheets
 * in semicolon locales (and tab-separated imports) take as separators.
 */
const NEEDS_QUOTES = /[",;\t\r\n]/;

/**
 * One CSV cell: text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so no
 * spreadsheet evaluates it; a cell holding a quote, comma, semicolon, tab or line break is quoted,
 * quotes doubled.
 *
 * @param value - The value; numbers and booleans are written as they are, undefined as empty.
 * @example
 * csvCell('=HYPERLINK("x")') // `"'=HYPERLINK(""x"")"`
 */
export function csvCell(value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Columns of the audit CSV, in order: header name and how to read it from an event. */
const AUDIT_CSV_COLUMNS: readonly [string, (event: AuditEvent) => string | number | undefined][] = [
  ['time', (e) => e.time],
  ['eventId', (e) => e.eventId],
  ['actor', (e) => e.actor.principal],
  ['actorKind', (e) => e.actor.kind],
  ['actorGroups', (e) => e.actor.groups.join(' ')],
  ['actorSub', (e) => e.actor.sub],
  ['action', (e) => e.action],
  ['operation', (e) => e.operation],
  ['result', (e) => e.result],
  ['status', (e) => e.status],
  ['secretId', (e) => e.target.secretId],
  ['path', (e) => e.target.path],
  ['templateId', (e) => e.target.templateId],
  ['policyId', (e) => e.target.policyId],
  ['reason', (e) => e.reason],
  ['sourceIp', (e) => e.source.ip],
  ['userAgent', (e) => e.source.userAgent],
  ['requestId', (e) => e.requestId],
  ['details', (e) => (Object.keys(e.details).length > 0 ? JSON.stringify(e.details) : undefined)],
];

/** Events as CSV: a header row, then one row per event, CRLF line ends (RFC 4180). */
export function auditCsv(events: readonly AuditEvent[]): string {
  const rows = [AUDIT_CSV_COLUMNS.map(([name]) => name).join(',')];
  for (const event of events) rows.push(AUDIT_CSV_COLUMNS.map(([, read]) => csvCell(read(event))).join(','));
  return `${rows.join('\r\n')}\r\n`;
}

/** Events as JSON Lines: one event per line. */
export function auditJsonLines(events: readonly AuditEvent[]): string {
  return events.map((event) => `${JSON.stringify(event)}\n`).join('');
}
