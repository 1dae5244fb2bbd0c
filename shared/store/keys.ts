/** Item keys of the vault table (see VAULT_TABLE): one place that knows the single-table layout. */
export const ITEM = {
  secret: (id: string) => ({ pk: `SECRET#${id}`, sk: 'META' }),
  seed: (id: string) => ({ pk: `SECRET#${id}`, sk: 'SEED' }),
  recovery: (id: string) => ({ pk: `SECRET#${id}`, sk: 'RECOVERY' }),
  /** Reserves a path, so two secrets can never share one (checked in the creating transaction). */
  path: (path: string) => ({ pk: `PATH#${path}`, sk: 'PATH' }),
  template: (id: string) => ({ pk: `TEMPLATE#${id}`, sk: 'TEMPLATE' }),
} as const;

/** Values of the `kind` attribute, the partition key of the `byKind` index. */
export const KIND = { secret: 'secret', template: 'template' } as const;
