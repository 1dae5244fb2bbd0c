import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PolicyRules, type RulesSource } from '../access/PolicyRules';
import { DynamoAuditOutbox, type AuditOutbox } from '../audit/AuditOutbox';
import { AuditLog } from '../audit/query';
import { CloudTrailDecrypts, type DecryptTrail } from '../audit/reconcile';
import { createCloudTrailClient, createDocumentClient, createKmsClient } from '../aws/clients';
import { loadConfig, type VaultConfig } from '../config/vaultConfig';
import { KmsFieldCipher, type FieldCipher } from '../crypto/FieldCipher';
import { systemClock, type Clock } from '../clock';
import { createLogger, type Logger } from '../log/logger';
import { OtpCodes } from '../secrets/OtpCodes';
import { RecoveryCodes } from '../secrets/RecoveryCodes';
import { SealedValues } from '../secrets/SealedValues';
import { SecretService } from '../secrets/SecretService';
import { SecretStore } from '../secrets/SecretStore';
import { TemplateService } from '../templates/TemplateService';
import { TemplateStore } from '../templates/TemplateStore';
import { PolicyAdmin, PolicyCache, PolicyStore } from '../policy/store';
import { AccessRequests } from '../approvals/AccessRequests';
import { AccessRequestStore } from '../approvals/AccessRequestStore';
import { CodeHandouts } from '../secrets/CodeHandouts';
import { userDirectoryFromEnv } from '../users/fromConfig';
import type { UserDirectory } from '../users/UserDirectory';

/** Everything a handler uses, built once per cold start (reused while the Lambda is warm). */
export interface Deps {
  config: VaultConfig;
  log: Logger;
  db: DynamoDBDocumentClient;
  cipher: FieldCipher;
  outbox: AuditOutbox;
  /** The audit table, read by the audit queries. */
  auditLog: AuditLog;
  /** KMS Decrypts as CloudTrail recorded them, for audit reconciliation. */
  decrypts: DecryptTrail;
  secrets: SecretStore;
  templates: TemplateService;
  secretService: SecretService;
  otpCodes: OtpCodes;
  recoveryCodes: RecoveryCodes;
  /** Seals sensitive values and opens them only after their audit event is durable. */
  sealed: SealedValues;
  /** The rules every request is decided against: the stored policies (compiled engine cached while warm). */
  accessRules: RulesSource;
  /** Access policies at rest (read by `/v1/me/secrets`, simulate and the policy routes). */
  policies: PolicyStore;
  /** Creates, replaces and deletes policies (built-ins read-only, no lock-out, audited). */
  policyAdmin: PolicyAdmin;
  /** Usernames to accounts (subs): the user pool, or locally the issuer's registry (asked only when binding policies). */
  users: UserDirectory;
  /** Just-in-time access: requests, decisions and the grants they make. */
  accessRequests: AccessRequests;
  accessRequestStore: AccessRequestStore;
  /** Who had each secret's current TOTP code first (the reuse warning). */
  codeHandouts: CodeHandouts;
  clock: Clock;
}

let deps: Deps | undefined;
let overrides: Partial<Deps> = {};

type Services = Pick<Deps, 'sealed' | 'secretService' | 'otpCodes' | 'recoveryCodes' | 'accessRequests'>;

/** The services built on the collaborators (rebuilt when a test injects one, so the fault reaches them). */
function services(base: Pick<Deps, 'secrets' | 'templates' | 'cipher' | 'clock' | 'accessRequestStore' | 'codeHandouts' | 'policies'>): Services {
  const sealed = new SealedValues(base.cipher);
  return {
    sealed,
    secretService: new SecretService(base.secrets, base.templates, sealed, base.clock),
    otpCodes: new OtpCodes(base.secrets, sealed, base.clock, base.codeHandouts),
    recoveryCodes: new RecoveryCodes(base.secrets, sealed),
    accessRequests: new AccessRequests(base.accessRequestStore, base.secrets, base.clock, base.policies),
  };
}

export function getDeps(): Deps {
  if (!deps) {
    const config = loadConfig();
    const db = createDocumentClient(config);
    const cipher = new KmsFieldCipher(createKmsClient(config), config.kmsKeyId);
    const secrets = new SecretStore(db, config.tables.vault, config.cursorKey);
    const templates = new TemplateService(new TemplateStore(db, config.tables.vault));
    const policies = new PolicyStore(db, config.tables.vault);
    const accessRequestStore = new AccessRequestStore(db, config.tables.vault);
    const codeHandouts = new CodeHandouts(db, config.tables.vault);
    const users = userDirectoryFromEnv();
    deps = {
      config,
      log: createLogger({ level: config.logLevel }),
      db,
      cipher,
      outbox: new DynamoAuditOutbox(db, config.tables.events),
      auditLog: new AuditLog(db, config.tables.audit),
      decrypts: new CloudTrailDecrypts(createCloudTrailClient(config)),
      secrets,
      templates,
      accessRequestStore,
      codeHandouts,
      ...services({ secrets, templates, cipher, clock: systemClock, accessRequestStore, codeHandouts, policies }),
      accessRules: new PolicyRules(new PolicyCache(policies)),
      policies,
      policyAdmin: new PolicyAdmin(policies, users),
      users,
      clock: systemClock,
    };
  }
  if (Object.keys(overrides).length === 0) return deps;
  const merged = { ...deps, ...overrides };
  return { ...merged, ...services(merged) };
}

/** Test seam for fault injection (a failing audit outbox, a fixed clock): never used in production code. */
export function overrideDeps(next: Partial<Deps>): () => void {
  const previous = overrides;
  overrides = { ...overrides, ...next };
  return () => {
    overrides = previous;
  };
}
