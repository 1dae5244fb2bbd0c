import { TooLargeError } from '../../errors';
import type { AuditEvent } from '../event';
import { auditCsv, auditJsonLines } from './csv';
import { AUDIT_EXPORT_LIMITS } from './limits';
import type { TimeRange } from './plan';

export type ExportFormat = 'csv' | 'jsonl';

/** A file to hand out as it is. */
export interface ExportFile {
  contentType: string;
  body: string;
  /** Suggested download name. */
  filename: string;
}

const FORMATS: Record<ExportFormat, { contentType: string; extension: string; render: (events: readonly AuditEvent[]) => string }> = {
  csv: { contentType: 'text/csv; charset=utf-8; header=present', extension: 'csv', render: auditCsv },
  jsonl: { contentType: 'application/x-ndjson; charset=utf-8', extension: 'jsonl', render: auditJsonLines },
};

/** `2025-01-31T12:00:00.000Z` → `20250131T120000Z`: safe in a file name on every system. */
function compactTime(iso: string): string {
  return `${iso.slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/**
 * Renders events as an export file named after its range.
 *
 * @param events - Newest first.
 * @param format - `csv` or `jsonl`.
 * @param range - The range searched, for the file name (an open end reads `start`/`now`).
 * @throws TooLargeError when the file would not fit in one Lambda response.
 */
export function exportFile(events: readonly AuditEvent[], format: ExportFormat, range: TimeRange): ExportFile {
  const { contentType, extension, render } = FORMATS[format];
  const body = render(events);
  // The Lambda response carries the body escaped into JSON: measure that.
  if (Buffer.byteLength(JSON.stringify(body)) > AUDIT_EXPORT_LIMITS.maxBytes) {
    throw new TooLargeError(
      `the export would exceed ${AUDIT_EXPORT_LIMITS.maxBytes} bytes, more than one response may carry; narrow from/to or add a filter`,
      { limit: AUDIT_EXPORT_LIMITS.maxBytes },
    );
  }
  const from = range.from ? compactTime(range.from) : 'start';
  const to = range.to ? compactTime(range.to) : 'now';
  return { contentType, body, filename: `otpvault-audit_${from}_${to}.${extension}` };
}
