import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ZXING_WASM_SHA256 } from 'zxing-wasm/reader';
import { decoderWasmFiles } from '../../infra/projectPaths';
import { OtpVaultStack } from '../../infra/stack';
import type { RouteDefinition } from '../../shared/api/route';
import { routes } from '../../shared/api/routes';
import { ARCHIVE_PREFIX } from '../../shared/audit/archive/keys';
import { ENV } from '../../shared/config/vaultConfig';
import { CONTEXT_KEYS } from '../../shared/crypto/FieldCipher';
import { DECODER_WASM_DIR_ENV } from '../../shared/seed/qr/decoderWasm';
import { ZXING_WASM_ENV } from '../../shared/seed/qr/zxingModule';
import { AUDIT_TABLE, EVENTS_TABLE, TABLES, VAULT_TABLE } from '../../shared/store/tables';
import { arnOf, asArray, cdkJsonContext, logicalIdOf, refersTo, statementsOfRole, temporaryOutdir } from './synthHelpers';
import type { Statement } from './synthHelpers';
import { bundleWithEsbuild, functionBundlesOf, prebuildBundles, type FunctionBundle } from './prebuiltBundles';

/**
 * The synthesized template against the route table and the table definitions. Synthesized once, with
 * bundling so the bundles can be inspected too; every test reads the same template. Expectations are
 * written from the route table's contract (`shared/api/route.ts`), not copied from the stack's code.
 *
 * NodejsFunction bundles the functions that decode pictures and one other (`PLAIN_REAL_BUNDLING`) as the
 * deploy does, `npx esbuild` per function; the others' bundles are made beforehand by esbuild's API in
 * one call (test/infra/prebuiltBundles.ts), where CDK finds and takes them: about 40 esbuild processes
 * were most of this file's time. A test holds the prebuilt bundles to the real path's, byte for byte.
 * CDK's built-in CloudFormation validation is off here as in the CLI: nag.test.ts validates this stack.
 */

const ROUTES: readonly RouteDefinition[] = routes;
/** The stream consumer: a function that is not a route. */
const CONSUMER = 'auditStreamConsumer';
/** The people authorizer: a function that is not a route either. */
const AUTHORIZER = 'authorizer';
/** What `grants.vault` levels mean. */
const EXPECTED_VAULT_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  write: [
    'dynamodb:ConditionCheckItem',
    'dynamodb:DeleteItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:Query',
    'dynamodb:UpdateItem',
  ],
} as const;
/** What DynamoDB may use the table key for, on a function's behalf. */
const EXPECTED_TABLE_KEY_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];
const QR_OPS = ['createSecret', 'overwriteSeed'];
/** The function without picture decoders that NodejsFunction bundles itself here (see above). */
const PLAIN_REAL_BUNDLING = 'generateOtp';
const WASM_FILE = 'zxing_reader.wasm';
const ARCHIVE_ENV = [ENV.archiveBucket, ENV.archiveKeyId, ENV.auditSigningKeyId];
const VIA = (service: string): unknown => ({
  StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', [`${service}.`, { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
});

let outdir: string;
let bundles: FunctionBundle[];
let stack: OtpVaultStack;
let template: Template;
let ids: {
  seedKey: string;
  tableKey: string;
  archiveKey: string;
  signingKey: string;
  archiveBucket: string;
  accessLogs: string;
  deadLetters: string;
  userPool: string;
  client: string;
  api: string;
  iamApi: string;
  tables: Record<string, string>;
};

const functionName = (bundle: FunctionBundle): string => basename(dirname(bundle.entry));
const bundledByNodejsFunction = (bundle: FunctionBundle): boolean => bundle.decodesPictures || functionName(bundle) === PLAIN_REAL_BUNDLING;

beforeAll(async () => {
  // Prepare
  outdir = temporaryOutdir();
  const makeStack = (app: App) => new OtpVaultStack(app, 'OtpVaultTest');
  bundles = functionBundlesOf(makeStack);
  await prebuildBundles(outdir, bundles.filter((b) => !bundledByNodejsFunction(b)));
  const app = new App({ outdir, context: cdkJsonContext(), builtinCloudFormationValidation: false });
  stack = makeStack(app);
  // Act
  const assembly = app.synth();
  template = Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template as Record<string, unknown>);
  ids = {
    seedKey: logicalIdOf(stack.keys.seedKey),
    tableKey: logicalIdOf(stack.keys.tableKey),
    archiveKey: logicalIdOf(stack.archive.archiveKey),
    signingKey: logicalIdOf(stack.archive.signingKey),
    archiveBucket: logicalIdOf(stack.archive.bucket),
    accessLogs: logicalIdOf(stack.archive.accessLogs),
    deadLetters: logicalIdOf(stack.auditConsumer.deadLetters),
    userPool: logicalIdOf(stack.identity.userPool),
    client: logicalIdOf(stack.identity.client),
    api: logicalIdOf(stack.api.httpApi),
    iamApi: logicalIdOf(stack.iamApi.httpApi),
    tables: Object.fromEntries(TABLES.map((d) => [d.id, logicalIdOf(stack.tables.tableFor(d))])),
  };
}, 600_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const resources = () => template.toJSON().Resources;
const functionOf = (name: string): IFunction =>
  name === CONSUMER ? stack.auditConsumer.lambda.fn : name === AUTHORIZER ? stack.peopleAuthorizer.lambda.fn : stack.functions.functionFor(name);
const functionId = (name: string): string => logicalIdOf(functionOf(name));
const functionProps = (name: string) => resources()[functionId(name)].Properties;
const envOf = (name: string): Record<string, unknown> => functionProps(name).Environment.Variables;
const roleIdOf = (name: string): string => functionProps(name).Role['Fn::GetAtt'][0];
const logGroupIdOf = (name: string): string => functionProps(name).LoggingConfig.LogGroup.Ref;
const assetDirOf = (name: string): string => join(outdir, `asset.${String(functionProps(name).Code.S3Key).replace(/\.zip$/, '')}`);
/**
 * Resources of a type, without those of CDK's BucketDeployment handler (a stack-level singleton that
 * uploads the web console): its role and grants are aws-cdk-lib's, acknowledged in the cdk-nag test.
 */
const ownResources = (type: string) =>
  Object.fromEntries(Object.entries(template.findResources(type)).filter(([id]) => !id.startsWith('CustomCDKBucketDeployment')));
const ALL_FUNCTIONS = (): string[] => [...ROUTES.map((r) => r.op), CONSUMER, AUTHORIZER];

describe('functions', () => {
  it('builds one function per route, plus the audit stream consumer, the people authorizer, the alert publisher and the refusal sweeper', () => {
    // Assess (the alert publisher is checked in alerts.test.ts, the refusal sweeper in refusalSweeper.test.ts), and CDK's own handler that uploads the web console (BucketDeployment).
    template.resourceCountIs('AWS::Lambda::Function', ROUTES.length + 5);
    expect(new Set(ALL_FUNCTIONS().map(functionId)).size).toBe(ROUTES.length + 2);
  });

  it.each(ROUTES.map((r) => [r.op, r] as const))('runs %s on Node.js 22, arm64, sized as its route declares', (_op, route) => {
    // Assess
    expect(functionProps(route.op)).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: route.memoryMb,
      Timeout: route.timeoutSeconds,
    });
  });

  it.each([CONSUMER, AUTHORIZER])('runs %s on Node.js 22, arm64', (name) => {
    // Assess
    expect(functionProps(name)).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
  });

  it('gives the people authorizer only the configuration it reads: the user pool, the origin secret, the audit outbox and the vault table (refusal windows)', () => {
    // Assess
    const env = envOf(AUTHORIZER);
    expect(env).toEqual({
      [ENV.authMode]: 'cognito',
      [ENV.userPoolId]: { Ref: ids.userPool },
      [ENV.userPoolClientId]: { 'Fn::Join': ['', [{ Ref: ids.client }, ',', { Ref: logicalIdOf(stack.console.client) }]] },
      [ENV.logLevel]: 'info',
      [EVENTS_TABLE.envVar]: { Ref: ids.tables[EVENTS_TABLE.id] },
      [ENV.originCheck]: 'secret',
      [ENV.originSecretArn]: { Ref: logicalIdOf(stack.originSecret) },
      [VAULT_TABLE.envVar]: { Ref: ids.tables[VAULT_TABLE.id] },
    });
  });

  it('gives every route function and the consumer the configuration names the Lambdas read', () => {
    for (const name of ALL_FUNCTIONS().filter((n) => n !== AUTHORIZER)) {
      // Assess
      const env = envOf(name);
      expect(env).toMatchObject({
        [ENV.kmsKeyId]: arnOf(ids.seedKey),
        [ENV.authMode]: 'cognito',
        [ENV.userPoolId]: { Ref: ids.userPool },
        [ENV.userPoolClientId]: { Ref: ids.client },
        ...Object.fromEntries(TABLES.map((d) => [d.envVar, { Ref: ids.tables[d.id] }])),
      });
      expect(env).not.toHaveProperty(ENV.region); // reserved: Lambda sets it
      for (const localOnly of [ENV.dynamoDbEndpoint, ENV.kmsEndpoint, ENV.cloudTrailEndpoint, ENV.s3Endpoint]) {
        expect(env).not.toHaveProperty(localOnly);
      }
    }
  });

  it('gives the archive configuration only to the functions that read or write the archive', () => {
    for (const name of ALL_FUNCTIONS()) {
      // Prepare
      const usesArchive = name === CONSUMER || Boolean(ROUTES.find((r) => r.op === name)?.grants.archive);
      // Assess
      for (const variable of ARCHIVE_ENV) expect({ name, variable, set: variable in envOf(name) }).toEqual({ name, variable, set: usesArchive });
      if (usesArchive) {
        expect(envOf(name)).toMatchObject({
          [ENV.archiveBucket]: { Ref: ids.archiveBucket },
          [ENV.archiveKeyId]: arnOf(ids.archiveKey),
          [ENV.auditSigningKeyId]: arnOf(ids.signingKey),
        });
      }
    }
  });

  it('writes each function to its own log group with a retention', () => {
    // Assess
    expect(new Set(ALL_FUNCTIONS().map(logGroupIdOf)).size).toBe(ALL_FUNCTIONS().length);
    for (const name of ALL_FUNCTIONS()) {
      expect(resources()[logGroupIdOf(name)]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: expect.any(Number) },
      });
    }
  });

  it('bundles each function as a minified ESM module that can require CommonJS dependencies, without source maps unless asked for', () => {
    for (const name of ALL_FUNCTIONS()) {
      // Assess
      const bundle = readFileSync(join(assetDirOf(name), 'index.mjs'), 'utf8');
      expect(bundle.startsWith('import { createRequire')).toBe(true);
      expect(existsSync(join(assetDirOf(name), 'index.mjs.map'))).toBe(false);
      expect(envOf(name).NODE_OPTIONS).toBeUndefined();
    }
  });

  it('ships the zxing reader binary with, and only with, the functions that decode QR pictures', () => {
    for (const name of ALL_FUNCTIONS()) {
      // Prepare
      const decodesQr = QR_OPS.includes(name);
      const wasm = join(assetDirOf(name), WASM_FILE);
      // Assess
      expect({ name, shipped: existsSync(wasm) }).toEqual({ name, shipped: decodesQr });
      if (decodesQr) expect(createHash('sha256').update(readFileSync(wasm)).digest('hex')).toBe(ZXING_WASM_SHA256);
      expect(envOf(name)[ZXING_WASM_ENV]).toBe(decodesQr ? `/var/task/${WASM_FILE}` : undefined);
    }
  });

  it('ships the HEIC, WebP, AVIF and JPEG decoder binaries, as in node_modules, with the functions that decode QR pictures', () => {
    for (const name of ALL_FUNCTIONS()) {
      // Prepare
      const decodesQr = QR_OPS.includes(name);
      for (const { file, source } of decoderWasmFiles()) {
        const shipped = join(assetDirOf(name), file);
        // Assess
        expect({ name, file, shipped: existsSync(shipped) }).toEqual({ name, file, shipped: decodesQr });
        if (decodesQr) expect(readFileSync(shipped).equals(readFileSync(source))).toBe(true);
      }
      expect(envOf(name)[DECODER_WASM_DIR_ENV]).toBe(decodesQr ? '/var/task' : undefined);
      // The decoders' glue is bundled where it runs only (elsewhere a dynamic import never reached).
      const bundle = readFileSync(join(assetDirOf(name), 'index.mjs'), 'utf8');
      expect({ name, heicDecoder: bundle.includes('HEIF processing error') }).toEqual({ name, heicDecoder: decodesQr });
    }
  });

  it('bundles through NodejsFunction, as the deploy does, byte for byte what esbuild\'s API makes of the same functions (as the prebuilt bundles are made)', async () => {
    // Prepare
    const real = bundles.filter(bundledByNodejsFunction);
    const check = temporaryOutdir();
    try {
      // Act
      await bundleWithEsbuild(check, real);
      // Assess
      expect(real.map(functionName).sort()).toEqual([...QR_OPS, PLAIN_REAL_BUNDLING].sort());
      for (const bundle of real) {
        const same = readFileSync(join(check, `asset.${bundle.assetHash}`, 'index.mjs')).equals(readFileSync(join(outdir, `asset.${bundle.assetHash}`, 'index.mjs')));
        expect({ function: bundle.path, same }).toEqual({ function: bundle.path, same: true });
      }
    } finally {
      rmSync(check, { recursive: true, force: true });
    }
  });

  it('deploys the prebuilt bundles: each is the code of a function of the template', () => {
    // Prepare
    const keys = new Set(Object.values(template.findResources('AWS::Lambda::Function')).map((fn) => String(fn.Properties.Code?.S3Key)));
    const prebuilt = bundles.filter((b) => !bundledByNodejsFunction(b));
    // Assess
    expect(prebuilt.length).toBeGreaterThan(0);
    expect(prebuilt.filter((b) => !keys.has(`${b.assetHash}.zip`)).map((b) => b.path)).toEqual([]);
  });

  it('bundles the picture decoders into, and only into, the functions that decode QR pictures', () => {
    for (const name of ALL_FUNCTIONS()) {
      // Prepare
      const bundle = readFileSync(join(assetDirOf(name), 'index.mjs'), 'utf8');
      // Assess: jsQR's and zxing-wasm's code, by names their bundles keep
      expect({ name, jsqr: bundle.includes('jsQR'), zxing: bundle.includes('zxing_reader') }).toEqual({
        name,
        jsqr: QR_OPS.includes(name),
        zxing: QR_OPS.includes(name),
      });
    }
  });
});

describe('API', () => {
  /** The two APIs, by who calls them, and how their protected routes are guarded. */
  const APIS = [
    { name: 'JWT API (people, services with tokens)', id: () => ids.api, authorizationType: 'CUSTOM' },
    { name: 'IAM API (machines, SigV4)', id: () => ids.iamApi, authorizationType: 'AWS_IAM' },
  ] as const;
  const routesOf = (apiId: string) =>
    Object.values(template.findResources('AWS::ApiGatewayV2::Route')).filter((r) => JSON.stringify(r.Properties.ApiId) === JSON.stringify({ Ref: apiId }));
  const peopleAuthorizerId = () => Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'))[0] as string;

  it.each(APIS)('gives the $name exactly one route per row of the route table', ({ id }) => {
    // Assess
    template.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length * APIS.length);
    expect(routesOf(id()).map((r) => r.Properties.RouteKey).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  const cases = APIS.flatMap((api) => ROUTES.map((r) => [api.name, `${r.method} ${r.path}`, api, r] as const));
  it.each(cases)('serves %s %s with the route’s own function, behind the API’s authorizer unless the route is public', (_name, routeKey, api, route) => {
    // Act
    const matches = routesOf(api.id()).filter((r) => r.Properties.RouteKey === routeKey);
    // Assess
    expect(matches).toHaveLength(1);
    const props = matches[0].Properties;
    if (route.auth === 'none') {
      expect(props.AuthorizationType).toBe('NONE');
      expect(props.AuthorizerId).toBeUndefined();
    } else if (api.authorizationType === 'CUSTOM') {
      expect(props).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: peopleAuthorizerId() } });
    } else {
      expect(props.AuthorizationType).toBe('AWS_IAM');
      expect(props.AuthorizerId).toBeUndefined();
    }
    const integrationId = props.Target['Fn::Join'][1][1].Ref as string;
    expect(resources()[integrationId].Properties).toMatchObject({
      ApiId: { Ref: api.id() },
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: arnOf(functionId(route.op)),
      PayloadFormatVersion: '2.0',
    });
  });

  it('leaves only the health check and the API description public, on both APIs', () => {
    // Assess
    expect(ROUTES.filter((r) => r.auth === 'none').map((r) => r.op)).toEqual(['health', 'getOpenApi']);
    const publicRoutes = template.findResources('AWS::ApiGatewayV2::Route', { Properties: { AuthorizationType: 'NONE' } });
    expect(Object.values(publicRoutes).map((r) => r.Properties.RouteKey).sort()).toEqual(['GET /health', 'GET /health', 'GET /v1/openapi.json', 'GET /v1/openapi.json']);
  });

  it('asks the people authorizer (payload 2.0, simple responses, never cached) about the Authorization header', () => {
    // Assess
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    const [authorizer] = Object.values(template.findResources('AWS::ApiGatewayV2::Authorizer'));
    expect(authorizer.Properties).toMatchObject({
      ApiId: { Ref: ids.api },
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 0,
      IdentitySource: ['$request.header.Authorization'],
    });
    expect(refersTo(authorizer.Properties.AuthorizerUri, functionId(AUTHORIZER))).toBe(true);
  });

  it('lets only the JWT API invoke the people authorizer', () => {
    // Act
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter(
      (p) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify(arnOf(functionId(AUTHORIZER))),
    );
    // Assess
    expect(permissions).toHaveLength(1);
    expect(permissions[0].Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' });
    expect(JSON.stringify(permissions[0].Properties.SourceArn)).toContain(JSON.stringify({ Ref: ids.api }));
  });

  it('logs every request on each API’s default stage and throttles it', () => {
    // Assess
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', APIS.length);
    for (const api of APIS) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        ApiId: { Ref: api.id() },
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: {
          DestinationArn: Match.anyValue(),
          Format: Match.stringLikeRegexp('\\$context\\.requestId'),
        },
        DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      });
    }
  });
});

describe('IAM', () => {
  /** What a statement's resource is: a table, index, stream, key, bucket, prefix, queue, log group, or `*`. */
  function targetOf(resource: unknown): string {
    if (resource === '*') return '*';
    const text = JSON.stringify(resource);
    const named: Record<string, string> = {
      ...ids.tables,
      seedKey: ids.seedKey,
      tableKey: ids.tableKey,
      archiveKey: ids.archiveKey,
      signingKey: ids.signingKey,
      archiveBucket: ids.archiveBucket,
      deadLetters: ids.deadLetters,
    };
    for (const [name, id] of Object.entries(named)) {
      if (text === JSON.stringify(arnOf(id))) return name;
      if (text === JSON.stringify({ 'Fn::GetAtt': [id, 'StreamArn'] })) return `${name}/stream`;
      if (refersTo(resource, id)) {
        const index = text.match(/"\/index\/([A-Za-z0-9_.-]+)"/);
        if (index) return `${name}/index/${index[1]}`;
        const objects = text.match(/"\/([A-Za-z0-9_.-]+\/)\*"/);
        if (objects) return `${name}/${objects[1]}*`;
      }
    }
    const logGroup = Object.keys(template.findResources('AWS::Logs::LogGroup')).find((id) => text === JSON.stringify(arnOf(id)));
    return logGroup ? `logs:${logGroup}` : `unknown:${text}`;
  }

  /** Actions granted per target, from the statements of a role. */
  function grants(statements: Statement[]): Record<string, string[]> {
    const out: Record<string, Set<string>> = {};
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      for (const resource of asArray(statement.Resource)) {
        const target = targetOf(resource);
        out[target] ??= new Set();
        for (const action of asArray(statement.Action)) out[target].add(action);
      }
    }
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort()]));
  }

  const archiveObjects = (actions: string[]): Record<string, string[]> =>
    Object.fromEntries(Object.values(ARCHIVE_PREFIX).map((prefix) => [`archiveBucket/${prefix}*`, actions]));

  /** What a route's `grants` call for, derived from the route table alone. */
  function expectedGrants(route: RouteDefinition): Record<string, string[]> {
    const expected: Record<string, string[]> = {
      [`logs:${logGroupIdOf(route.op)}`]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      [EVENTS_TABLE.id]: ['dynamodb:PutItem'],
      tableKey: EXPECTED_TABLE_KEY_ACTIONS,
    };
    if (route.grants.vault) {
      expected[VAULT_TABLE.id] = [...EXPECTED_VAULT_ACTIONS[route.grants.vault]];
      for (const index of VAULT_TABLE.indexes) expected[`${VAULT_TABLE.id}/index/${index.name}`] = ['dynamodb:Query'];
    } else if (route.auth === 'required') {
      // Every authenticated request reads the access policies (only their partition: see below).
      expected[VAULT_TABLE.id] = [...EXPECTED_VAULT_ACTIONS.read];
    }
    if (route.grants.audit === 'read') {
      expected[AUDIT_TABLE.id] = ['dynamodb:Query'];
      for (const index of AUDIT_TABLE.indexes) expected[`${AUDIT_TABLE.id}/index/${index.name}`] = ['dynamodb:Query'];
    }
    if (route.grants.kms?.length) expected.seedKey = route.grants.kms.map((op) => `kms:${op}`).sort();
    // Binding policies to accounts: one user lookup on this stack's pool, nothing else of Cognito.
    if (route.grants.users === 'lookup') expected[`unknown:${JSON.stringify({ 'Fn::GetAtt': [ids.userPool, 'Arn'] })}`] = ['cognito-idp:AdminGetUser'];
    if (route.grants.cloudTrail?.length) expected['*'] = route.grants.cloudTrail.map((op) => `cloudtrail:${op}`).sort();
    if (route.grants.archive === 'verify') {
      // verify reads each key at its first version (ListObjectVersions, then GET ?versionId=).
      Object.assign(expected, archiveObjects(['s3:GetObject', 's3:GetObjectVersion']), {
        archiveBucket: ['s3:ListBucket', 's3:ListBucketVersions'],
        archiveKey: ['kms:Decrypt'],
        signingKey: ['kms:GetPublicKey'],
      });
    }
    return expected;
  }

  it.each(ROUTES.map((r) => [r.op, r] as const))('grants %s exactly what its route declares', (_op, route) => {
    // Act
    const granted = grants(statementsOfRole(template, roleIdOf(route.op)));
    // Assess
    expect(granted).toEqual(expectedGrants(route));
  });

  it('grants the audit stream consumer exactly what carrying events to the table and archive takes', () => {
    // Act
    const granted = grants(statementsOfRole(template, roleIdOf(CONSUMER)));
    // Assess
    expect(granted).toEqual({
      [`logs:${logGroupIdOf(CONSUMER)}`]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      [`${EVENTS_TABLE.id}/stream`]: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
      [AUDIT_TABLE.id]: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      tableKey: EXPECTED_TABLE_KEY_ACTIONS,
      ...archiveObjects(['s3:GetObject', 's3:PutObject']),
      archiveBucket: ['s3:ListBucket'],
      archiveKey: ['kms:Decrypt', 'kms:GenerateDataKey'],
      signingKey: ['kms:Sign'],
      deadLetters: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
    });
  });

  it('lets an authenticated function without vault access read only the policy partition of the vault', () => {
    for (const route of ROUTES.filter((r) => r.auth === 'required' && !r.grants.vault)) {
      // Prepare
      const onVault = statementsOfRole(template, roleIdOf(route.op)).filter((s) => refersTo(s.Resource, ids.tables[VAULT_TABLE.id] as string));
      // Assess
      expect(onVault.length).toBeGreaterThan(0);
      for (const statement of onVault) {
        expect(statement.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['POLICIES'] } });
      }
    }
  });

  it('grants the people authorizer its log group, the audit outbox write, refusal-window updates, the table key through DynamoDB and the origin secret\'s value, nothing more', () => {
    // Act
    const granted = grants(statementsOfRole(template, roleIdOf(AUTHORIZER)));
    // Assess
    expect(granted).toEqual({
      [`logs:${logGroupIdOf(AUTHORIZER)}`]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      [EVENTS_TABLE.id]: ['dynamodb:PutItem'],
      // Refusal windows only (dynamodb:LeadingKeys, checked in refusalSweeper.test.ts).
      [VAULT_TABLE.id]: ['dynamodb:UpdateItem'],
      tableKey: EXPECTED_TABLE_KEY_ACTIONS,
      [`unknown:${JSON.stringify({ Ref: logicalIdOf(stack.originSecret) })}`]: ['secretsmanager:GetSecretValue'],
    });
  });

  it('gives a function without declared KMS access no action on the seed key', () => {
    for (const route of ROUTES.filter((r) => !r.grants.kms?.length)) {
      // Assess
      const onSeedKey = statementsOfRole(template, roleIdOf(route.op)).filter((s) => refersTo(s.Resource, ids.seedKey));
      expect(onSeedKey).toEqual([]);
    }
  });

  it('lets the seed key be used only with an encryption context naming the secret', () => {
    for (const name of ALL_FUNCTIONS()) {
      for (const statement of statementsOfRole(template, roleIdOf(name)).filter((s) => refersTo(s.Resource, ids.seedKey))) {
        // Assess
        expect(statement.Condition).toMatchObject({
          'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': [CONTEXT_KEYS.secretId] },
        });
      }
    }
  });

  it('lets the table key be used only through DynamoDB, and the archive key only through S3', () => {
    for (const name of ALL_FUNCTIONS()) {
      const statements = statementsOfRole(template, roleIdOf(name));
      // Assess
      expect(statements.some((s) => refersTo(s.Resource, ids.tableKey))).toBe(true);
      for (const statement of statements.filter((s) => refersTo(s.Resource, ids.tableKey))) expect(statement.Condition).toEqual(VIA('dynamodb'));
      for (const statement of statements.filter((s) => refersTo(s.Resource, ids.archiveKey))) expect(statement.Condition).toEqual(VIA('s3'));
    }
  });

  it('names no wildcard action, and `*` only as the resource of CloudTrail lookups', () => {
    for (const policy of Object.values(ownResources('AWS::IAM::Policy'))) {
      for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
        // Assess
        for (const action of asArray(statement.Action)) expect(action).not.toContain('*');
        if (asArray(statement.Resource).includes('*')) expect(asArray(statement.Action)).toEqual(['cloudtrail:LookupEvents']);
      }
    }
  });

  it('attaches no managed policy to any role', () => {
    for (const role of Object.values(ownResources('AWS::IAM::Role'))) {
      // Assess
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('tables', () => {
  it('builds exactly one table per definition', () => {
    // Assess
    template.resourceCountIs('AWS::DynamoDB::Table', TABLES.length);
  });

  it.each(TABLES.map((d) => [d.id, d] as const))('builds %s as declared: keys, indexes, stream and TTL', (_id, definition) => {
    // Prepare
    const table = resources()[ids.tables[definition.id]];
    const keySchema = (pk: { name: string }, sk?: { name: string }) => [
      { AttributeName: pk.name, KeyType: 'HASH' },
      ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' }] : []),
    ];
    // Assess
    expect(table.Properties.KeySchema).toEqual(keySchema(definition.partitionKey, definition.sortKey));
    expect(table.Properties.GlobalSecondaryIndexes ?? []).toEqual(
      definition.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    const keys = [definition.partitionKey, definition.sortKey, ...definition.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
    for (const key of keys.filter((k) => k !== undefined)) {
      expect(table.Properties.AttributeDefinitions).toContainEqual({ AttributeName: key.name, AttributeType: key.type });
    }
    expect(table.Properties.StreamSpecification).toEqual(definition.stream ? { StreamViewType: definition.stream } : undefined);
    expect(table.Properties.TimeToLiveSpecification).toEqual(
      definition.ttlAttribute ? { AttributeName: definition.ttlAttribute, Enabled: true } : undefined,
    );
  });

  it.each(TABLES.map((d) => [d.id, d] as const))(
    'keeps %s on demand, recoverable, encrypted with the table key and protected from deletion',
    (_id, definition) => {
      // Assess
      expect(resources()[ids.tables[definition.id]]).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: arnOf(ids.tableKey) },
          DeletionProtectionEnabled: true,
        },
      });
    },
  );
});

describe('audit pipeline', () => {
  it('feeds the outbox stream to the consumer, reporting failed records and parking what keeps failing', () => {
    // Assess
    // The second mapping is the alert publisher's (alerts.test.ts).
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId(CONSUMER) },
      EventSourceArn: { 'Fn::GetAtt': [ids.tables[EVENTS_TABLE.id], 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: Match.anyValue(),
      DestinationConfig: { OnFailure: { Destination: arnOf(ids.deadLetters) } },
    });
    expect(resources()[ids.deadLetters].Properties).toMatchObject({ SqsManagedSseEnabled: true });
  });

  it('keeps the archive private, versioned, encrypted with its own key, TLS-only and access-logged', () => {
    // Assess
    expect(resources()[ids.archiveBucket]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf(ids.archiveKey) }, BucketKeyEnabled: true },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: { DestinationBucketName: { Ref: ids.accessLogs } },
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: ids.archiveBucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('signs digests with an asymmetric P-256 key and encrypts the archive with a rotated key', () => {
    // Assess
    expect(resources()[ids.signingKey]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
    });
    expect(resources()[ids.archiveKey]).toMatchObject({ DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
  });
});

describe('keys and identity', () => {
  it('rotates the seed and table keys, which are distinct', () => {
    // Assess
    expect(ids.seedKey).not.toBe(ids.tableKey);
    for (const id of [ids.seedKey, ids.tableKey]) {
      expect(resources()[id]).toMatchObject({
        Type: 'AWS::KMS::Key',
        DeletionPolicy: 'Retain',
        Properties: { EnableKeyRotation: true },
      });
    }
  });

  it('names the seed key alias/otpvault-seeds', () => {
    // Assess
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/otpvault-seeds', TargetKeyId: arnOf(ids.seedKey) });
  });

  it('lets only admins create users, requires TOTP MFA and enforces threat protection', () => {
    // Assess
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: Match.anyValue(),
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
    const pool = Object.values(template.findResources('AWS::Cognito::UserPool'))[0];
    expect(pool.Properties.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
  });

  it('has one public client that signs in with SRP or a password (the CLI) and no secret, besides the console\'s', () => {
    // Assess
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 2);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('has the admins group', () => {
    // Assess
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins', UserPoolId: { Ref: ids.userPool } });
  });
});

describe('outputs', () => {
  const NAMES = [
    'ApiUrl',
    'IamApiUrl',
    'UserPoolId',
    'UserPoolClientId',
    'SeedKeyArn',
    'Region',
    ...TABLES.map((d) => `${d.id}TableName`),
    'ArchiveBucketName',
    'AuditSigningKeyArn',
    'AuditDeadLetterQueueUrl',
    'ConsoleUrl',
  ];

  it.each(NAMES)('outputs %s', (name) => {
    // Assess
    template.hasOutput(name, { Value: Match.anyValue() });
  });

  it('outputs the resources the names stand for', () => {
    // Assess
    const outputs = template.toJSON().Outputs;
    expect(outputs.UserPoolId.Value).toEqual({ Ref: ids.userPool });
    expect(outputs.UserPoolClientId.Value).toEqual({ Ref: ids.client });
    expect(outputs.SeedKeyArn.Value).toEqual(arnOf(ids.seedKey));
    expect(outputs.Region.Value).toEqual({ Ref: 'AWS::Region' });
    // People use the API through CloudFront (and its web ACL), not at its execute-api URL.
    expect(JSON.stringify(outputs.ApiUrl.Value)).toContain(logicalIdOf(stack.console.distribution));
    expect(JSON.stringify(outputs.ApiUrl.Value)).not.toContain(ids.api);
    expect(JSON.stringify(outputs.IamApiUrl.Value)).toContain(JSON.stringify({ Ref: ids.iamApi }));
    for (const definition of TABLES) expect(outputs[`${definition.id}TableName`].Value).toEqual({ Ref: ids.tables[definition.id] });
    expect(outputs.ArchiveBucketName.Value).toEqual({ Ref: ids.archiveBucket });
    expect(outputs.AuditSigningKeyArn.Value).toEqual(arnOf(ids.signingKey));
  });
});

describe('web console', () => {
  const consoleResource = (type: string) => Object.values(template.findResources(type));

  it('keeps the files in a private, encrypted bucket that only the distribution reads, through origin access control', () => {
    // Assess
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: { Ref: logicalIdOf(stack.console.logs) } }),
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const [distribution] = consoleResource('AWS::CloudFront::Distribution');
    const config = distribution.Properties.DistributionConfig;
    expect(config.Origins[0].OriginAccessControlId).toBeDefined();
    expect(config.Origins[0].S3OriginConfig.OriginAccessIdentity).toBe('');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.Logging.Bucket).toBeDefined();
    const bucketPolicy = JSON.stringify(template.toJSON().Resources[logicalIdOf(stack.console.bucket.policy!)]);
    expect(bucketPolicy).toContain('cloudfront.amazonaws.com');
    expect(bucketPolicy).toContain('AWS:SourceArn');
  });

  it('sends a CSP without inline script, HSTS, frame-ancestors none and no referrer on every response', () => {
    // Assess
    const [policy] = consoleResource('AWS::CloudFront::ResponseHeadersPolicy');
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
  });

  it('signs people in with the managed login: authorization code only, no secret, callbacks on the console', () => {
    // Assess
    const client = template.toJSON().Resources[logicalIdOf(stack.console.client)].Properties;
    expect(client).toMatchObject({ GenerateSecret: false, AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'] });
    expect(JSON.stringify(client.CallbackURLs)).toContain(logicalIdOf(stack.console.distribution));
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { ManagedLoginVersion: 2 });
    template.resourceCountIs('AWS::Cognito::ManagedLoginBranding', 1);
  });

  it('writes config.json at deploy with the API URL and the Cognito ids, and outputs ConsoleUrl', () => {
    // Assess
    const [deployment] = consoleResource('Custom::CDKBucketDeployment');
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    // The API is on the console's own origin.
    expect(markers).toContain(logicalIdOf(stack.console.distribution));
    expect(markers).not.toContain(ids.api);
    expect(markers).toContain(JSON.stringify({ Ref: logicalIdOf(stack.console.client) }));
    expect(markers).toContain(JSON.stringify({ Ref: ids.userPool }));
    expect(JSON.stringify(template.toJSON().Outputs.ConsoleUrl.Value)).toContain(logicalIdOf(stack.console.distribution));
  });

  it('allows no CORS on either API: the console calls the people API on its own origin', () => {
    // Assess
    const apis = template.toJSON().Resources;
    expect(apis[ids.api].Properties.CorsConfiguration).toBeUndefined();
    expect(apis[ids.iamApi].Properties.CorsConfiguration).toBeUndefined();
  });
});
