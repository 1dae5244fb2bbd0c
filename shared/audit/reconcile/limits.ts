/** Bounds of `GET /v1/audit/reconcile`, declared once. */
export const RECONCILE_LIMITS = {
  /** Longest from/to span. */
  maxRangeHours: 24,
  /** A Decrypt is explained by an allowed audit event of its secret at most this long before it. */
  matchWindowSeconds: 30,
  /** Clock skew allowed between the functions and KMS: a Decrypt may seem this much older than its event. */
  clockSkewSeconds: 5,
  /**
   * CloudTrail LookupEvents pages read at most (50 events each). CloudTrail answers two lookups per
   * second per account and Region and the API gives up after 30 s, so more is refused (413).
   */
  maxLookupPages: 40,
  /** Audit events read per secret at most. */
  maxEventsPerSecret: 10_000,
  /** CloudTrail delivers events up to about this late: windows ending later may miss decrypts. */
  trailDelayMinutes: 15,
  /** Secrets whose audit events are read at the same time. */
  parallelSecrets: 4,
} as const;
