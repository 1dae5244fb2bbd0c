/** Item keys of the vault table (see VAULT_TABLE): one place that knows the single-table layout. */
export const ITEM = {
  secret: (id: string) => ({ pk: `SECRET#${id}`, sk: 'META' }),
  seed: (id: string) => ({ pk: `SECRET#${id}`, sk: 'SEED' }),
  recovery: (id: string) => ({ pk: `SECRET#${id}`, sk: 'RECOVERY' }),
  /** Reserves a path, so two secrets can never share one (checked in the creating transaction). */
  path: (path: string) => ({ pk: `PATH#${path}`, sk: 'PATH' }),
  template: (id: string) => ({ pk: `TEMPLATE#${id}`, sk: 'TEMPLATE' }),
  /**
   * Access policies share one partition with the policy-set version item, so the whole set is read
   * with one strongly consistent Query (GSIs are only eventually consistent).
   */
  policy: (id: string) => ({ pk: POLICIES_PK, sk: `${POLICY_SK_PREFIX}${id}` }),
  /** The policy-set version: bumped in the transaction of every policy change, read once per request. */
  policySet: () => ({ pk: POLICIES_PK, sk: 'VERSION' }),
  /** A just-in-time access request and its decisions (listed through `byKind`, newest first). */
  accessRequest: (id: string) => ({ pk: `ACCESSREQ#${id}`, sk: 'REQUEST' }),
  /**
   * What an approved request grants: one item per caller, secret and action, read with one
   * consistent GetItem when the caller uses it; removed by TTL (`ttl`) once expired.
   */
  grant: (principal: string, secretId: string, action: string) => ({ pk: `GRANT#${secretId}#${principal}`, sk: `ACTION#${action}` }),
  /** Marks an alert as published, so a replayed stream record publishes it once (removed by TTL). */
  alertSent: (alertId: string) => ({ pk: `${ALERT_PK_PREFIX}${alertId}`, sk: 'SENT' }),
  /** Who was last handed a TOTP code of a secret, and for which step (the reuse warning). */
  lastCode: (secretId: string) => ({ pk: `SECRET#${secretId}`, sk: 'LASTCODE' }),
  /**
   * The refused credentials of one source (IP and principal, or `anonymous`) in one UTC minute,
   * counted instead of audited one by one (`shared/audit/refusals/`). The partition is one of a few
   * shards picked by the source, so a flood from many addresses spreads over several partitions;
   * the minute leads the sort key, so the sweeper reads closed windows with one range per shard.
   */
  refusalWindow: (shard: number, minute: string, sourceIp: string, principal: string) => ({
    pk: refusalShardPk(shard),
    sk: `${minute}#${sourceIp}#${principal}`,
  }),
} as const;

/** Partition-key prefix of refusal windows: the authorizer may update these items and no others. */
export const REFUSALS_PK_PREFIX = 'REFUSALS#';

/** The partition of one shard of the refusal windows (`REFUSALS#07`). */
export function refusalShardPk(shard: number): string {
  return `${REFUSALS_PK_PREFIX}${String(shard).padStart(2, '0')}`;
}

/** Partition-key prefix of alert markers: the alert publisher may write these items and no others. */
export const ALERT_PK_PREFIX = 'ALERT#';

/** Partition of the policy items and the policy-set version item. */
export const POLICIES_PK = 'POLICIES';
/** Sort-key prefix of policy items within `POLICIES_PK` (the version item does not have it). */
export const POLICY_SK_PREFIX = 'POLICY#';

/** Values of the `kind` attribute, the partition key of the `byKind` index. */
export const KIND = { secret: 'secret', template: 'template', policy: 'policy', accessRequest: 'accessRequest' } as const;

/** What a function may write in the vault table, by partition (`grants.writes` of a route row). */
export type VaultItemKind = 'secret' | 'path' | 'template' | 'policies' | 'accessRequest' | 'grant' | 'refusalWindow';

/** The partition keys of each kind, as `dynamodb:LeadingKeys` patterns (StringLike). */
export const PARTITIONS_OF: Record<VaultItemKind, string> = {
  secret: 'SECRET#*',
  path: 'PATH#*',
  template: 'TEMPLATE#*',
  policies: POLICIES_PK,
  accessRequest: 'ACCESSREQ#*',
  grant: 'GRANT#*',
  refusalWindow: `${REFUSALS_PK_PREFIX}*`,
};
