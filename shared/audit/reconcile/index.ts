/** Matching the vault's KMS Decrypts (from CloudTrail) against the audit log. */
export { CloudTrailDecrypts } from './CloudTrailDecrypts';
export { vaultDecryptOf, type DecryptTrail, type VaultDecrypt } from './decrypts';
export { DECRYPT_EXPLAINERS, type DecryptExplainer } from './explainers';
export { RECONCILE_LIMITS } from './limits';
export { matchDecrypts, type DecryptMatch, type MatchWindow } from './match';
export { reconcileDecrypts, type ReconcileAnswer, type ReconcileSources, type UnexplainedDecrypt } from './reconcile';
export { ReconcileParams } from './schema';
