/** Bounds of audit-log reads, declared once (the route schemas and messages quote them). */
export const AUDIT_QUERY_LIMITS = {
  /** Events per page when the caller gives no `limit`. */
  defaultLimit: 100,
  /** Largest `limit` a caller may ask for. */
  maxLimit: 1000,
  /** Longest `from`/`to` span searched by time alone (no actor, secretId or path): one day partition each. */
  maxTimeWalkDays: 31,
  /** What a query by time alone searches when it gives neither `from` nor `to`: the last this many hours. */
  defaultWindowHours: 24,
  /**
   * DynamoDB calls one page may make (enough to pass a month of empty day partitions). With
   * `action`/`result` filters DynamoDB reads items that then do not match, so a page may come back
   * with fewer than `limit` events (even none) and a cursor to go on with.
   */
  maxCallsPerPage: 32,
  /** Items DynamoDB evaluates per call while a filter is applied (it reads at most 1 MB either way). */
  filteredBatch: 1000,
  /** Longest cursor accepted. */
  maxCursorLength: 4096,
} as const;

/** Bounds of `GET /v1/audit/export`, which answers in one response (Lambda returns at most 6 MB). */
export const AUDIT_EXPORT_LIMITS = {
  /** More events than this in the range is refused (413): narrow the range or add a filter. */
  maxRows: 10_000,
  /** Largest file; the Lambda response (body escaped into JSON) must stay under 6 MB. */
  maxBytes: 5_000_000,
  /** Items DynamoDB may evaluate for one export (filters read items that do not match). */
  maxEvaluated: 200_000,
} as const;
