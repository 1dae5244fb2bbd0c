import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { OtpVaultStack } from '../../infra/stack';
import type { RouteDefinition } from '../../shared/api/route';
import { routes } from '../../shared/api/routes';
import { ENV } from '../../shared/config/vaultConfig';
import { CONTEXT_KEYS } from '../../shared/crypto/fieldCipher';
import { EVENTS_TABLE, TABLES, VAULT_TABLE } from '../../shared/store/tables';
import { arnOf, asArray, cdkJsonContext, logicalIdOf, refersTo, statementsOfRole, temporaryOutdir } from './synthHelpers';
import type { Statement } from './synthHelpers';

/**
 * The synthesized template against the route table and table definitions. Synthesized once (with
 * real bundling, so the bundles can be inspected too); every test reads the same template.
 */

const ROUTES: readonly RouteDefinition[] = routes;
/** What the route table's `access.vault` levels mean, written out independently of the stack. */
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
const WASM_FILE = 'zxing_reader.wasm';

let outdir: string;
let stack: OtpVaultStack;
let template: Template;
let ids: { seedKey: string; tableKey: string; userPool: string; client: string; api: string; tables: Record<string, string> };

beforeAll(() => {
  // Prepare
  outdir = temporaryOutdir();
  const app = new App({ outdir, context: cdkJsonContext() });
  stack = new OtpVaultStack(app, 'OtpVaultTest');
  // Act
  const assembly = app.synth();
  template = Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template as Record<string, unknown>);
  ids = {
    seedKey: logicalIdOf(stack.keys.seedKey),
    tableKey: logicalIdOf(stack.keys.tableKey),
    userPool: logicalIdOf(stack.identity.userPool),
    client: logicalIdOf(stack.identity.client),
    api: logicalIdOf(stack.api.httpApi),
    tables: Object.fromEntries(TABLES.map((d) => [d.id, logicalIdOf(stack.tables.tableFor(d))])),
  };
}, 600_000);

const functionId = (op: string): string => logicalIdOf(stack.functions.functionFor(op));
const functionProps = (op: string) => template.toJSON().Resources[functionId(op)].Properties;
const roleIdOf = (op: string): string => functionProps(op).Role['Fn::GetAtt'][0];
const assetDirOf = (op: string): string => join(outdir, `asset.${String(functionProps(op).Code.S3Key).replace(/\.zip$/, '')}`);

describe('functions', () => {
  it('builds exactly one function per route', () => {
    // Assess
    template.resourceCountIs('AWS::Lambda::Function', ROUTES.length);
    expect(new Set(ROUTES.map((r) => functionId(r.op))).size).toBe(ROUTES.length);
  });

  it.each(ROUTES.map((r) => [r.op, r] as const))('runs %s on Node.js 22, arm64, sized as its route declares', (_op, route) => {
    // Assess
    expect(functionProps(route.op)).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: route.memoryMb ?? 512,
      Timeout: route.timeoutSeconds ?? 10,
    });
  });

  it('gives every function the configuration names the Lambdas read', () => {
    for (const route of ROUTES) {
      // Assess
      const env = functionProps(route.op).Environment.Variables as Record<string, unknown>;
      expect(env).toMatchObject({
        [ENV.kmsKeyId]: arnOf(ids.seedKey),
        [ENV.authMode]: 'cognito',
        [ENV.userPoolId]: { Ref: ids.userPool },
        [ENV.userPoolClientId]: { Ref: ids.client },
        ...Object.fromEntries(TABLES.map((d) => [d.envVar, { Ref: ids.tables[d.id] }])),
      });
      expect(env).not.toHaveProperty(ENV.region); // reserved: Lambda sets it
      expect(env).not.toHaveProperty(ENV.dynamoDbEndpoint);
      expect(env).not.toHaveProperty(ENV.kmsEndpoint);
    }
  });

  it('writes each function to its own log group with a retention', () => {
    for (const route of ROUTES) {
      // Assess
      const logGroupId = functionProps(route.op).LoggingConfig.LogGroup.Ref as string;
      expect(template.toJSON().Resources[logGroupId]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: expect.any(Number) },
      });
    }
  });

  it('bundles each function as an ESM module that can require CommonJS dependencies', () => {
    for (const route of ROUTES) {
      // Assess
      const bundle = readFileSync(join(assetDirOf(route.op), 'index.mjs'), 'utf8');
      expect(bundle.startsWith('import { createRequire')).toBe(true);
      expect(existsSync(join(assetDirOf(route.op), 'index.mjs.map'))).toBe(true);
    }
  });

  it('ships the zxing reader binary with, and only with, the functions that decode QR pictures', () => {
    for (const route of ROUTES) {
      // Assess
      const decodesQr = QR_OPS.includes(route.op);
      expect(existsSync(join(assetDirOf(route.op), WASM_FILE))).toBe(decodesQr);
      const env = functionProps(route.op).Environment.Variables as Record<string, unknown>;
      expect(env.OTPVAULT_ZXING_WASM).toBe(decodesQr ? `/var/task/${WASM_FILE}` : undefined);
    }
  });
});

describe('API', () => {
  it('has exactly one route per row of the route table', () => {
    // Assess
    template.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length);
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))(
    'serves %s with its own function, behind the JWT authorizer unless the route is public',
    (routeKey, route) => {
      // Prepare
      const resources = template.toJSON().Resources;
      const [authorizerId] = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'));
      // Act
      const matches = Object.values(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }));
      // Assess
      expect(matches).toHaveLength(1);
      const props = matches[0].Properties;
      if (route.auth === 'required') {
        expect(props).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
      } else {
        expect(props.AuthorizationType).toBe('NONE');
        expect(props.AuthorizerId).toBeUndefined();
      }
      const integrationId = props.Target['Fn::Join'][1][1].Ref as string;
      expect(resources[integrationId].Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: arnOf(functionId(route.op)),
        PayloadFormatVersion: '2.0',
      });
    },
  );

  it('leaves only the health check public', () => {
    // Assess
    expect(ROUTES.filter((r) => r.auth === 'none').map((r) => r.op)).toEqual(['health']);
    const publicRoutes = template.findResources('AWS::ApiGatewayV2::Route', { Properties: { AuthorizationType: 'NONE' } });
    expect(Object.values(publicRoutes).map((r) => r.Properties.RouteKey)).toEqual(['GET /health']);
  });

  it('trusts tokens issued by the user pool for its app client', () => {
    // Assess
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: ids.client }],
        Issuer: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^https://cognito-idp\\.'), { Ref: ids.userPool }])] },
      },
    });
  });

  it('logs every request on the default stage and throttles it', () => {
    // Assess
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });
});

describe('IAM', () => {
  /** Target of each resource a statement names: a table, an index, a key or a log group. */
  function targetOf(resource: unknown): string {
    for (const [name, id] of Object.entries({ ...ids.tables, seedKey: ids.seedKey, tableKey: ids.tableKey })) {
      if (JSON.stringify(resource) === JSON.stringify(arnOf(id))) return name;
      if (refersTo(resource, id)) {
        const suffix = JSON.stringify(resource).match(/\/index\/([A-Za-z0-9_.-]+)/);
        if (suffix) return `${name}/index/${suffix[1]}`;
      }
    }
    const logGroups = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    const logGroup = logGroups.find((id) => JSON.stringify(resource) === JSON.stringify(arnOf(id)));
    if (logGroup) return `logs:${logGroup}`;
    return `unknown:${JSON.stringify(resource)}`;
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

  /** The grants a route's `access` calls for, derived from the route table alone. */
  function expectedGrants(route: RouteDefinition): Record<string, string[]> {
    const logGroupId = functionProps(route.op).LoggingConfig.LogGroup.Ref as string;
    const expected: Record<string, string[]> = {
      [`logs:${logGroupId}`]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      [EVENTS_TABLE.id]: ['dynamodb:PutItem'],
      tableKey: EXPECTED_TABLE_KEY_ACTIONS,
    };
    if (route.access.vault) {
      expected[VAULT_TABLE.id] = [...EXPECTED_VAULT_ACTIONS[route.access.vault]];
      for (const index of VAULT_TABLE.indexes) expected[`${VAULT_TABLE.id}/index/${index.name}`] = ['dynamodb:Query'];
    }
    if (route.access.kms?.length) expected.seedKey = route.access.kms.map((op) => `kms:${op}`).sort();
    return expected;
  }

  it.each(ROUTES.map((r) => [r.op, r] as const))('grants %s exactly what its route declares', (_op, route) => {
    // Act
    const granted = grants(statementsOfRole(template, roleIdOf(route.op)));
    // Assess
    expect(granted).toEqual(expectedGrants(route));
  });

  it('gives a function without declared KMS access no action on the seed key', () => {
    for (const route of ROUTES.filter((r) => !r.access.kms?.length)) {
      // Assess
      const onSeedKey = statementsOfRole(template, roleIdOf(route.op)).filter((s) => refersTo(s.Resource, ids.seedKey));
      expect(onSeedKey).toEqual([]);
    }
  });

  it('lets the seed key be used only with an encryption context naming the secret', () => {
    for (const route of ROUTES) {
      for (const statement of statementsOfRole(template, roleIdOf(route.op)).filter((s) => refersTo(s.Resource, ids.seedKey))) {
        // Assess
        expect(statement.Condition).toEqual({
          'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': [CONTEXT_KEYS.secretId] },
        });
      }
    }
  });

  it('lets the table key be used only through DynamoDB', () => {
    for (const route of ROUTES) {
      const onTableKey = statementsOfRole(template, roleIdOf(route.op)).filter((s) => refersTo(s.Resource, ids.tableKey));
      // Assess
      expect(onTableKey.length).toBeGreaterThan(0);
      for (const statement of onTableKey) {
        expect(statement.Condition).toEqual({
          StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
        });
      }
    }
  });

  it('names no wildcard action or resource in any policy', () => {
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
        // Assess
        for (const action of asArray(statement.Action)) expect(action).not.toContain('*');
        for (const resource of asArray(statement.Resource)) expect(resource).not.toBe('*');
      }
    }
  });

  it('attaches no managed policy to any function role', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
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
    const table = template.toJSON().Resources[ids.tables[definition.id]];
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
      // Prepare
      const table = template.toJSON().Resources[ids.tables[definition.id]];
      // Assess
      expect(table).toMatchObject({
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

describe('keys and identity', () => {
  it('rotates both customer-managed keys, which are distinct', () => {
    // Assess
    expect(ids.seedKey).not.toBe(ids.tableKey);
    for (const id of [ids.seedKey, ids.tableKey]) {
      expect(template.toJSON().Resources[id]).toMatchObject({
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
    const minimumLength = Object.values(template.findResources('AWS::Cognito::UserPool'))[0].Properties.Policies.PasswordPolicy
      .MinimumLength as number;
    expect(minimumLength).toBeGreaterThanOrEqual(12);
  });

  it('has one public client that signs in with SRP and no secret', () => {
    // Assess
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('has the admins group', () => {
    // Assess
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins', UserPoolId: { Ref: ids.userPool } });
  });
});

describe('outputs', () => {
  it.each(['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'SeedKeyArn', 'Region', ...TABLES.map((d) => `${d.id}TableName`)])(
    'outputs %s',
    (name) => {
      // Assess
      template.hasOutput(name, { Value: Match.anyValue() });
    },
  );

  it('outputs the resources the names stand for', () => {
    // Assess
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.UserPoolId.Value).toEqual({ Ref: ids.userPool });
    expect(outputs.UserPoolClientId.Value).toEqual({ Ref: ids.client });
    expect(outputs.SeedKeyArn.Value).toEqual(arnOf(ids.seedKey));
    expect(outputs.Region.Value).toEqual({ Ref: 'AWS::Region' });
    expect(JSON.stringify(outputs.ApiUrl.Value)).toContain(JSON.stringify({ Ref: ids.api }));
    for (const definition of TABLES) expect(outputs[`${definition.id}TableName`].Value).toEqual({ Ref: ids.tables[definition.id] });
  });
});
