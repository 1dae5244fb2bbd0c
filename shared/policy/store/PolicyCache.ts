import { PolicyEngine } from '../PolicyEngine';
import type { PolicyRecord } from './policyRecord';
import type { PolicyStore } from './PolicyStore';

/** A compiled policy set: what every decision of one request is made against. */
export interface CompiledPolicySet {
  /** The policy-set version the engine was built from. */
  readonly version: number;
  readonly engine: PolicyEngine;
  /** The stored policies (built-ins not included), as read. */
  readonly policies: readonly PolicyRecord[];
}

/**
 * Keeps the compiled engine while the Lambda is warm. `current()` costs one strongly consistent
 * GetItem of the policy-set version per call; only when that version differs from the cached
 * one are the policies read again and recompiled. Every policy change bumps the version in its
 * own transaction, so a request never decides against a set older than the last committed change.
 *
 * @example
 * const cache = new PolicyCache(store);
 * const { engine } = await cache.current(); // once per request
 */
export class PolicyCache {
  private cached?: CompiledPolicySet;
  /** A reload in progress, shared by concurrent callers (Lambda runs one request at a time; the local runner does not). */
  private loading?: Promise<CompiledPolicySet>;
  private loads = 0;

  constructor(private readonly store: PolicyStore) {}

  /** How many times the policies were read (for tests and the bench). */
  get loadCount(): number {
    return this.loads;
  }

  /** The policy set in force now. */
  async current(): Promise<CompiledPolicySet> {
    const version = await this.store.version();
    if (this.cached && this.cached.version === version) return this.cached;
    let compiled = await this.reload();
    // A reload that was already under way may have read the set before the change seen above.
    while (compiled.version < version) compiled = await this.reload();
    return compiled;
  }

  private reload(): Promise<CompiledPolicySet> {
    this.loading ??= this.store
      .load()
      .then(({ version, policies }) => {
        this.loads++;
        const compiled: CompiledPolicySet = { version, engine: new PolicyEngine(policies), policies };
        // Never replace a newer set by an older one (two reloads racing).
        if (!this.cached || this.cached.version <= version) this.cached = compiled;
        return compiled;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }
}
