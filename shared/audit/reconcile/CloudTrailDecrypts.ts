import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { TooLargeError } from '../../errors';
import { RECONCILED_EVENT_NAMES, vaultDecryptOf, type DecryptTrail, type VaultDecrypt } from './decrypts';
import { RECONCILE_LIMITS } from './limits';

/** Most events per LookupEvents page. */
const PAGE_SIZE = 50;

/**
 * Vault Decrypts from CloudTrail event history (LookupEvents). LookupEvents takes one lookup
 * attribute: we ask for each of `EventName=Decrypt`, `ReEncrypt` and `GenerateDataKey*` in turn
 * and keep the records whose event source is KMS and whose encryption context names a secret.
 * The page limit counts all lookups together.
 */
export class CloudTrailDecrypts implements DecryptTrail {
  private cloudTrail?: Promise<CloudTrailClient>;

  /** @param connect - makes the client on the first lookup (the SDK client is imported then, not at cold start) */
  constructor(private readonly connect: () => Promise<CloudTrailClient>) {}

  async vaultDecrypts(from: string, to: string): Promise<VaultDecrypt[]> {
    const [client, { paginateLookupEvents }] = await Promise.all([(this.cloudTrail ??= this.connect()), import('@aws-sdk/client-cloudtrail')]);
    const found: VaultDecrypt[] = [];
    let read = 0;
    for (const eventName of RECONCILED_EVENT_NAMES) {
      const pages = paginateLookupEvents(
        { client, pageSize: PAGE_SIZE },
        {
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }],
          // Event times are whole seconds: start at the second `from` falls in.
          StartTime: new Date(Math.floor(Date.parse(from) / 1000) * 1000),
          EndTime: new Date(to),
        },
      );
      for await (const page of pages) {
        if (++read > RECONCILE_LIMITS.maxLookupPages) {
          throw new TooLargeError(
            `more than ${RECONCILE_LIMITS.maxLookupPages * PAGE_SIZE} KMS events in this range, more than one request can read from CloudTrail; reconcile a shorter range`,
            { limit: RECONCILE_LIMITS.maxLookupPages * PAGE_SIZE },
          );
        }
        for (const event of page.Events ?? []) {
          const decrypt = event.CloudTrailEvent ? vaultDecryptOf(event.CloudTrailEvent) : undefined;
          if (decrypt) found.push(decrypt);
        }
      }
    }
    return found;
  }
}
