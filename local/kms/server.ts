/**
 * The HTTP side: AWS JSON 1.1 (`POST /`, `X-Amz-Target: <service>.<operation>`, JSON bodies with
 * base64 blobs and epoch-second timestamps), errors as HTTP 400 `{"__type", "message"}` so the SDK
 * raises the service's own exception classes. This file only wires: operations describe themselves
 * in `operations/`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { LocalCredentialStore } from '../credentials';
import { callerOf, type Caller } from './caller';
import { ErrorType, InternalErrorType, ServiceError } from './errors';
import { parseBody, type JsonObject } from './input';
import { KeyStore } from './KeyStore';
import type { JsonResponse, Operation, OperationContext } from './operation';
import { createAlias } from './operations/createAlias';
import { createKey } from './operations/createKey';
import { decrypt } from './operations/decrypt';
import { describeKey } from './operations/describeKey';
import { encrypt } from './operations/encrypt';
import { generateDataKey, generateDataKeyWithoutPlaintext } from './operations/generateDataKey';
import { getPublicKey } from './operations/getPublicKey';
import { listAliases } from './operations/listAliases';
import { lookupEvents } from './operations/lookupEvents';
import { sign } from './operations/sign';
import { verify } from './operations/verify';
import { Trail, TRAIL_FILE_NAME, trailRecord } from './Trail';

interface Service {
  /** The `X-Amz-Target` prefixes the service answers to. */
  targets: readonly string[];
  /** `__type` of our own failures. */
  internalError: string;
  operations: ReadonlyMap<string, Operation>;
}

function service(targets: string[], internalError: string, operations: Operation[]): Service {
  return { targets, internalError, operations: new Map(operations.map((operation) => [operation.name, operation])) };
}

const SERVICES: readonly Service[] = [
  service(['TrentService'], InternalErrorType.kms, [
    createKey, describeKey, createAlias, listAliases, encrypt, decrypt, generateDataKey,
    generateDataKeyWithoutPlaintext, sign, verify, getPublicKey,
  ]),
  // The API reference documents the long target; the JavaScript SDK sends the short one.
  service(
    ['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101', 'CloudTrail_20131101'],
    InternalErrorType.cloudTrail,
    [lookupEvents],
  ),
];

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAX_BODY_BYTES = 1024 * 1024;

/** What the emulator keeps between requests. */
interface State {
  keys: KeyStore;
  trail: Trail;
  credentials: LocalCredentialStore;
  /** Added to this thread's clock for the time operations and the trail record (see `ServerOptions`). */
  clockOffsetMs: number;
}

function send(response: ServerResponse, status: number, requestId: string, body: JsonResponse): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      // Answer now, and let the rest of the body drain unread.
      request.off('data', collect);
      request.resume();
      reject(new ServiceError(ErrorType.validation, `The request body is larger than ${MAX_BODY_BYTES} bytes.`));
    };
    request.on('data', collect);
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Finds the operation `X-Amz-Target` names. */
function route(request: IncomingMessage): { service: Service; operation: Operation } {
  const target = request.headers['x-amz-target'];
  const dot = typeof target === 'string' ? target.lastIndexOf('.') : -1;
  const prefix = typeof target === 'string' && dot > 0 ? target.slice(0, dot) : undefined;
  const found = request.method === 'POST' ? SERVICES.find((s) => prefix !== undefined && s.targets.includes(prefix)) : undefined;
  if (found === undefined || typeof target !== 'string') {
    throw new ServiceError(ErrorType.unknownOperation, 'The operation is not known.');
  }
  const name = target.slice(dot + 1);
  const operation = found.operations.get(name);
  if (operation === undefined) {
    throw new ServiceError(ErrorType.unsupportedOperation, `${name} is not supported by this emulator.`);
  }
  return { service: found, operation };
}

/**
 * Runs one operation; a recorded one gets its trail record, success or failure, before the caller
 * hears back. If the record cannot be written the call fails: nothing goes unrecorded.
 */
async function run(operation: Operation, service: Service, caller: Caller, body: Buffer, state: State, requestId: string) {
  const context: OperationContext = { caller, requestId, now: new Date(Date.now() + state.clockOffsetMs), keys: state.keys, trail: state.trail, audit: {} };
  let input: JsonObject = {};
  try {
    input = parseBody(body);
    const result = await operation.run(input, context);
    if (operation.recorded) await record(operation, input, context);
    return result;
  } catch (error) {
    if (operation.recorded) {
      const failure =
        error instanceof ServiceError
          ? { code: error.type, message: error.message }
          : { code: service.internalError, message: 'An internal error occurred.' };
      await record(operation, input, context, failure);
    }
    throw error;
  }
}

function record(operation: Operation, input: JsonObject, context: OperationContext, error?: { code: string; message: string }) {
  return context.trail.append(
    trailRecord({
      eventName: operation.name,
      caller: context.caller,
      requestId: context.requestId,
      time: context.now,
      requestParameters: operation.recorded?.requestParameters(input) ?? {},
      keyArn: context.audit.keyArn,
      error,
    }),
  );
}

async function handle(request: IncomingMessage, response: ServerResponse, state: State): Promise<void> {
  const requestId = randomUUID();
  let internalError: string = InternalErrorType.kms;
  let operationName = 'unknown operation';
  try {
    const { service, operation } = route(request);
    internalError = service.internalError;
    operationName = operation.name;
    const body = await readBody(request);
    const caller = await callerOf(request, body, state.credentials);
    send(response, 200, requestId, await run(operation, service, caller, body, state, requestId));
  } catch (error) {
    if (error instanceof ServiceError) {
      send(response, error.status, requestId, { __type: error.type, message: error.message });
      return;
    }
    console.error(`kms emulator: ${operationName} failed (request ${requestId}):`, error);
    send(response, 500, requestId, { __type: internalError, message: 'An internal error occurred.' });
  }
}

/** A running server and how to stop it. */
export interface RunningServer {
  endpoint: string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  dataDir: string;
  port: number;
  host: string;
  /**
   * How far the clock of the thread that started the emulator is from this one's: a worker keeps
   * the real `Date` while its parent may run a test's shifted one, and the trail must be dated as
   * the audit events it is reconciled with. @default 0
   */
  clockOffsetMs?: number;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Opens the stores under `<dataDir>/kms/` and starts listening. */
export async function startServer({ dataDir, port, host, clockOffsetMs = 0 }: ServerOptions): Promise<RunningServer> {
  const directory = join(dataDir, 'kms');
  const state: State = {
    keys: await KeyStore.open(directory),
    trail: new Trail(join(directory, TRAIL_FILE_NAME)),
    credentials: new LocalCredentialStore(dataDir),
    clockOffsetMs,
  };
  const server = createServer((request, response) => {
    void handle(request, response, state);
  });
  const address = await listen(server, port, host);
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    endpoint: `http://${shownHost}:${address.port}`,
    async stop() {
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeIdleConnections();
      await closed;
      await Promise.all([state.keys.flush(), state.trail.flush()]);
    },
  };
}
