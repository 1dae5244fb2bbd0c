/**
 * The KMS event trail: one CloudTrail-shaped JSON record per line in `<dataDir>/kms/cloudtrail.jsonl`
 * (mode 0600), appended one at a time in arrival order, read back by LookupEvents. Records carry
 * encryption contexts and key ARNs, never ciphertexts, plaintexts or data keys.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { ACCOUNT_ID } from './arns';
import type { Caller } from './caller';
import type { Json } from './input';

export const TRAIL_FILE_NAME = 'cloudtrail.jsonl';
export const KMS_EVENT_SOURCE = 'kms.amazonaws.com';
const KMS_KEY_RESOURCE_TYPE = 'AWS::KMS::Key';

/** A CloudTrail record of a KMS call, with the fields a real one has. */
export interface TrailRecord {
  eventVersion: string;
  userIdentity: {
    type: 'IAMUser';
    principalId: string;
    arn: string;
    accountId: string;
    accessKeyId: string;
    userName: string;
  };
  /** ISO 8601 to the second, like CloudTrail. */
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: { [key: string]: Json };
  responseElements: null;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: { accountId: string; type: string; ARN: string }[];
  eventType: 'AwsApiCall';
  managementEvent: boolean;
  recipientAccountId: string;
  eventCategory: 'Management';
}

/** What one call contributes to its record. */
export interface TrailEntry {
  eventName: string;
  caller: Caller;
  requestId: string;
  time: Date;
  requestParameters: { [key: string]: Json };
  /** The key the call used, when it got far enough to know it. */
  keyArn?: string;
  error?: { code: string; message: string };
}

/** Builds the record of one call. The caller is named after its access key id (there is no IAM here). */
export function trailRecord(entry: TrailEntry): TrailRecord {
  const { caller } = entry;
  return {
    eventVersion: '1.11',
    userIdentity: {
      type: 'IAMUser',
      principalId: caller.accessKeyId,
      arn: `arn:aws:iam::${ACCOUNT_ID}:user/${caller.accessKeyId}`,
      accountId: ACCOUNT_ID,
      accessKeyId: caller.accessKeyId,
      userName: caller.accessKeyId,
    },
    eventTime: `${entry.time.toISOString().slice(0, 19)}Z`,
    eventSource: KMS_EVENT_SOURCE,
    eventName: entry.eventName,
    awsRegion: caller.region,
    sourceIPAddress: caller.sourceIpAddress,
    userAgent: caller.userAgent,
    ...(entry.error && { errorCode: entry.error.code, errorMessage: entry.error.message }),
    requestParameters: entry.requestParameters,
    responseElements: null,
    requestID: entry.requestId,
    eventID: randomUUID(),
    readOnly: true,
    ...(entry.keyArn !== undefined && {
      resources: [{ accountId: ACCOUNT_ID, type: KMS_KEY_RESOURCE_TYPE, ARN: entry.keyArn }],
    }),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT_ID,
    eventCategory: 'Management',
  };
}

/** The trail file: appends in order, reads everything back oldest first. */
export class Trail {
  private appends: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  /** Appends one record; resolves once it is on disk, after every earlier append. */
  append(record: TrailRecord): Promise<void> {
    const next = this.appends.then(() => appendFile(this.path, `${JSON.stringify(record)}\n`, { mode: 0o600 }));
    this.appends = next.catch(() => undefined);
    return next;
  }

  /** Every record, oldest first. A line that does not parse (e.g. cut short by a crash) is skipped. */
  async readAll(): Promise<TrailRecord[]> {
    await this.appends;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: TrailRecord[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line) as TrailRecord);
      } catch {
        // A torn last line: ignore it, as a reader of a live log must.
      }
    }
    return records;
  }

  /** Resolves once every append started so far has finished. */
  async flush(): Promise<void> {
    await this.appends;
  }
}
