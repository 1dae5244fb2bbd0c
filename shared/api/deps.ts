import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAuditOutbox, type AuditOutbox } from '../audit/outbox';
import { AuditLog } from '../audit/query';
import { CloudTrailDecrypts, type DecryptTrail } from '../audit/reconcile';
import { createCloudTrailClient, createDocumentClient, createKmsClient } from '../aws/clients';
import { loadConfig, type VaultConfig } from '../config/vaultConfig';
import { KmsFieldCipher, type FieldCipher } from '../crypto/fieldCipher';
import { systemClock, type Clock } from '../clock';
import { createLogger, type Logger } from '../log/logger';
import { CodeService } from '../secrets/codes';
import { SecretService } from '../secrets/service';
import { SecretStore } from '../secrets/store';
import { TemplateService } from '../templates/service';
import { TemplateStore } from '../templates/store';
import { PolicyAdmin, PolicyCache, PolicyStore } from '../policy/store';
import { PolicyAuthorizer, type Authorizer } from './authorizer';

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
  codes: CodeService;
  /** Decides every request against the stored policies (compiled engine cached while warm). */
  authorizer: Authorizer;
  /** Access policies at rest (read by `/v1/me/secrets`, simulate and the policy routes). */
  policies: PolicyStore;
  /** Creates, replaces and deletes policies (built-ins read-only, no lock-out, audited). */
  policyAdmin: PolicyAdmin;
  clock: Clock;
}

let deps: Deps | undefined;
let overrides: Partial<Deps> = {};

export function getDeps(): Deps {
  if (!deps) {
    const config = loadConfig();
    const db = createDocumentClient(config);
    const cipher = new KmsFieldCipher(createKmsClient(config), config.kmsKeyId);
    const secrets = new SecretStore(db, config.tables.vault, config.cursorKey);
    const templates = new TemplateService(new TemplateStore(db, config.tables.vault));
    const policies = new PolicyStore(db, config.tables.vault);
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
      secretService: new SecretService(secrets, templates, cipher, systemClock),
      codes: new CodeService(secrets, cipher, systemClock),
      authorizer: new PolicyAuthorizer(new PolicyCache(policies)),
      policies,
      policyAdmin: new PolicyAdmin(policies),
      clock: systemClock,
    };
  }
  if (Object.keys(overrides).length === 0) return deps;
  const merged = { ...deps, ...overrides };
  // Services hold their collaborators: rebuild them so an injected fault reaches them.
  merged.secretService = new SecretService(merged.secrets, merged.templates, merged.cipher, merged.clock);
  merged.codes = new CodeService(merged.secrets, merged.cipher, merged.clock);
  return merged;
}

/** Test seam for fault injection (a failing audit outbox, a fixed clock): never used in production code. */
export function overrideDeps(next: Partial<Deps>): () => void {
  const previous = overrides;
  overrides = { ...overrides, ...next };
  return () => {
    overrides = previous;
  };
}
