/**
 * Two CommonJS packages of the SDK that the DynamoDB and KMS clients (imported by every function)
 * have already loaded, taken with `require` from its cache. Imported with `import` instead, Node
 * wraps each as an ES module and first scans its whole source for the names it exports: 6–14 ms
 * of CPU per package at every cold start for code already in memory (bench/bundles.ts measures
 * cold init beside the floor of those clients). Not for code that runs in the browser (the web
 * console signs with `shared/client/sigv4.ts`).
 */
import { createRequire } from 'node:module';
import type * as SignatureV4Module from '@smithy/signature-v4';
import type * as UtilDynamoDbModule from '@aws-sdk/util-dynamodb';

const loaded = createRequire(import.meta.url);

export const { SignatureV4 } = loaded('@smithy/signature-v4') as typeof SignatureV4Module;
export const { unmarshall } = loaded('@aws-sdk/util-dynamodb') as typeof UtilDynamoDbModule;
