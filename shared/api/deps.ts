import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PolicyRules, type RulesSource } from '../access/PolicyRules';
import { DynamoAuditOutbox, type AuditOutbox } from '../audit/AuditOutbox';
import { createDocumentClient, createKmsClient } from '../aws/clients';
import { loadConfig, type VaultConfig } from '../config/vaultConfig';
import { KmsFieldCipher, type FieldCipher } from '../crypto/FieldCipher';
import { systemClock, type Clock } from '../clock';
import { createLogger, type Logger } from '../log/logger';
import { SealedValues } from '../secrets/SealedValues';
import { SecretStore } from '../secrets/SecretStore';
import { PolicyCache, PolicyStore } from '../policy/store';
import { AccessRequests } from '../approvals/AccessRequests';
import { AccessRequestStore } from '../approvals/AccessRequestStore';
import { ConsistentReads } from '../store/ConsistentReads';

/**
 * What every function uses, built once per cold start (reused while the Lambda is warm): what
 * `operation()` needs to authenticate, authorize (policies, grants, the secret a row acts on) and audit.
 * A service only some operations use (OTP codes, templates, policy administration, audit queries...)
 * is not here: its handler asks `shared/api/services/<name>.ts` for it, so only that function's bundle
 * carries its code (bench/bundles.ts).
 */
export interface Deps {
  config: VaultConfig;
  log: Logger;
  db: DynamoDBDocumentClient;
  cipher: FieldCipher;
  outbox: AuditOutbox;
  secrets: SecretStore;
  /** Seals sensitive values and opens them only after their audit event is durable. */
  sealed: SealedValues;
  /** The rules every request is decided against: the stored policies (compiled engine cached while warm). */
  accessRules: RulesSource;
  /** Access policies at rest (read by `/v1/me/secrets`, simulate and the policy routes). */
  policies: PolicyStore;
  /** Just-in-time access: requests, decisions and the grants they make (every secret decision reads the grants). */
  accessRequests: AccessRequests;
  accessRequestStore: AccessRequestStore;
  clock: Clock;
}

let deps: Deps | undefined;
let overrides: Partial<Deps> = {};

type Services = Pick<Deps, 'sealed' | 'accessRequests'>;

/** The services built on the collaborators (rebuilt when a test injects one, so the fault reaches them). */
function services(base: Pick<Deps, 'secrets' | 'cipher' | 'clock' | 'accessRequestStore' | 'policies'>): Services {
  return {
    sealed: new SealedValues(base.cipher),
    accessRequests: new AccessRequests(base.accessRequestStore, base.secrets, base.clock, base.policies),
  };
}

export function getDeps(): Deps {
  if (!deps) {
    const config = loadConfig();
    const db = createDocumentClient(config);
    const cipher = new KmsFieldCipher(createKmsClient(config), config.kmsKeyId);
    // One reader for both stores: a request's policy-set version and secret go out in one batch.
    const vaultReads = new ConsistentReads(db, config.tables.vault);
    const secrets = new SecretStore(db, config.tables.vault, config.cursorKey, vaultReads);
    const policies = new PolicyStore(db, config.tables.vault, vaultReads);
    const accessRequestStore = new AccessRequestStore(db, config.tables.vault, config.cursorKey);
    deps = {
      config,
      // The function's name on every line: one log group per function, but Logs Insights queries span them.
      log: createLogger({ level: config.logLevel }, process.env.AWS_LAMBDA_FUNCTION_NAME ? { function: process.env.AWS_LAMBDA_FUNCTION_NAME } : {}),
      db,
      cipher,
      outbox: new DynamoAuditOutbox(db, config.tables.events),
      secrets,
      accessRequestStore,
      ...services({ secrets, cipher, clock: systemClock, accessRequestStore, policies }),
      accessRules: new PolicyRules(new PolicyCache(policies)),
      policies,
      clock: systemClock,
    };
  }
  if (Object.keys(overrides).length === 0) return deps;
  const merged = { ...deps, ...overrides };
  return { ...merged, ...services(merged) };
}

const builtServices = new WeakMap<Deps, Map<unknown, unknown>>();

/**
 * The service `make` builds on `from`, made once per deps object: once per cold start, and again for
 * each `getDeps()` while a test injects a fault (a new object then), so the fault reaches the service.
 *
 * @param key - identifies the service (its factory function)
 * @example
 * export const otpCodes = (deps: Deps): OtpCodes => builtOnce(deps, otpCodes, () => new OtpCodes(...));
 */
export function builtOnce<T>(from: Deps, key: unknown, make: () => T): T {
  let made = builtServices.get(from);
  if (!made) builtServices.set(from, (made = new Map()));
  if (!made.has(key)) made.set(key, make());
  return made.get(key) as T;
}

/** Test seam for fault injection (a failing audit outbox, a fixed clock): never used in production code. */
export function overrideDeps(next: Partial<Deps>): () => void {
  const previous = overrides;
  overrides = { ...overrides, ...next };
  return () => {
    overrides = previous;
  };
}
