/**
 * The DynamoDB tables, declared once. The CDK stack and the local runner both build their tables
 * from these definitions, and the adapters read the key names from here.
 */
export interface KeyAttribute {
  name: string;
  type: 'S' | 'N' | 'B';
}

export interface IndexDefinition {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
}

export interface TableDefinition {
  /** Stable id, also the CDK construct id. */
  id: string;
  /** Environment variable through which Lambdas learn the physical table name. */
  envVar: string;
  /** Table name the local runner uses (CDK lets CloudFormation name the real tables). */
  localName: string;
  description: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  indexes: IndexDefinition[];
  /** Stream view, when a consumer reads the table's changes. */
  stream?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';
  /** Attribute holding an epoch-seconds expiry. */
  ttlAttribute?: string;
}

const s = (name: string): KeyAttribute => ({ name, type: 'S' });

/**
 * Vault: templates, secrets and their encrypted parts, path reservations (single-table design,
 * keys in `shared/store/keys.ts`).
 */
export const VAULT_TABLE = {
  id: 'Vault',
  envVar: 'OTPVAULT_TABLE_VAULT',
  localName: 'otpvault-vault',
  description: 'templates, secrets, encrypted seeds and recovery codes, path reservations, access requests and grants',
  partitionKey: s('pk'),
  sortKey: s('sk'),
  indexes: [
    // Lists an entity kind ordered by a sort value: secrets by path, templates by id.
    { name: 'byKind', partitionKey: s('kind'), sortKey: s('sortKey') },
  ],
  // Grants and old access requests remove themselves (expiry is also checked at use).
  ttlAttribute: 'ttl',
} as const satisfies TableDefinition;

/**
 * Audit outbox: every audit event is written here first (in the same transaction as the state
 * change it describes, or before an OTP leaves); the stream carries it to the audit table and
 * the S3 archive. Items expire once they have surely been consumed.
 */
export const EVENTS_TABLE = {
  id: 'AuditOutbox',
  envVar: 'OTPVAULT_TABLE_EVENTS',
  localName: 'otpvault-audit-outbox',
  description: 'audit events as written, streamed to the audit table and archive',
  partitionKey: s('eventId'),
  indexes: [],
  stream: 'NEW_IMAGE',
  ttlAttribute: 'expiresAt',
} as const satisfies TableDefinition;

/**
 * Audit log, written only by the stream consumer (idempotently: the event id is in the key) and
 * read by `GET /v1/audit`. Newest first by time within a day partition; by actor, secret or path
 * through the indexes.
 */
export const AUDIT_TABLE = {
  id: 'AuditLog',
  envVar: 'OTPVAULT_TABLE_AUDIT',
  localName: 'otpvault-audit-log',
  description: 'queryable audit events: by day, actor, secret and path',
  /** `DAY#<YYYY-MM-DD>` of the event time (UTC). */
  partitionKey: s('pk'),
  /** `<ISO time>#<eventId>`: sorts by time, unique per event. */
  sortKey: s('sk'),
  indexes: [
    /** `actorKey` = principal id, e.g. `user:alice`. */
    { name: 'byActor', partitionKey: s('actorKey'), sortKey: s('sk') },
    /** `secretKey` = secret id (only on events about a secret). */
    { name: 'bySecret', partitionKey: s('secretKey'), sortKey: s('sk') },
    /** `pathKey` = secret path (only on events about a path). */
    { name: 'byPath', partitionKey: s('pathKey'), sortKey: s('sk') },
  ],
} as const satisfies TableDefinition;

export const TABLES: readonly TableDefinition[] = [VAULT_TABLE, EVENTS_TABLE, AUDIT_TABLE];
