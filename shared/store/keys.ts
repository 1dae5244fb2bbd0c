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
} as const;

/** Partition of the policy items and the policy-set version item. */
export const POLICIES_PK = 'POLICIES';
/** Sort-key prefix of policy items within `POLICIES_PK` (the version item does not have it). */
export const POLICY_SK_PREFIX = 'POLICY#';

/** Values of the `kind` attribute, the partition key of the `byKind` index. */
export const KIND = { secret: 'secret', template: 'template', policy: 'policy' } as const;

/** What a function may write in the vault table, by partition (`grants.writes` of a route row). */
export type VaultItemKind = 'secret' | 'path' | 'template' | 'policies';

/** The partition keys of each kind, as `dynamodb:LeadingKeys` patterns (StringLike). */
export const PARTITIONS_OF: Record<VaultItemKind, string> = {
  secret: 'SECRET#*',
  path: 'PATH#*',
  template: 'TEMPLATE#*',
  policies: POLICIES_PK,
};
