/**
 * The local IAM API: the route table behind its own port, like the stack's second HTTP API
 * (IamApiUrl), with SigV4 checked against the local roles' credentials instead of bearer tokens.
 */
import { DynamoAuditOutbox } from '../../shared/audit/AuditOutbox';
import { RefusalWindows } from '../../shared/audit/refusals/RefusalWindows';
import { createDocumentClient } from '../../shared/aws/clients';
import { routes } from '../../shared/api/routes';
import { systemClock } from '../../shared/clock';
import { createLogger } from '../../shared/log/logger';
import { createRouter } from '../router';
import { startApiServer, type ApiServer } from '../server';
import { ensureLocalRole, findLocalRole, LOCAL_IAM_REGION } from './credentials';
import { createIamGate } from './iamGate';
import { SigV4Verifier } from './verifySigV4';

export interface IamApiOptions {
  dataDir: string;
  dynamoDbEndpoint: string;
  /** The outbox and vault tables the stack's handlers use (names as in its environment). */
  tables: { events: string; vault: string };
  port: number;
  log?: (line: string) => void;
}

/** Starts the IAM API; the first start creates the credentials of role `ci`. */
export async function startIamApi(options: IamApiOptions): Promise<ApiServer> {
  await ensureLocalRole(options.dataDir);
  const verifier = new SigV4Verifier({ lookup: (key) => findLocalRole(options.dataDir, key), region: LOCAL_IAM_REGION, now: () => systemClock.now() });
  const db = createDocumentClient({ region: LOCAL_IAM_REGION, endpoints: { dynamoDb: options.dynamoDbEndpoint } });
  const outbox = new DynamoAuditOutbox(db, options.tables.events);
  // Refused signatures are counted per source and minute like refused tokens (the same windows).
  const windows = new RefusalWindows(db, options.tables.vault);
  const logger = createLogger({ level: 'warn', service: 'otpvault-local-iam' });
  const log = options.log ?? (() => undefined);
  const router = createRouter({
    routes,
    log: (line) => log(`[iam] ${line}`),
    authenticate: createIamGate({ verifier, outbox, windows, clock: systemClock, log: logger }),
  });
  return startApiServer({ router, port: options.port });
}
