import { Aws, CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { RouteDefinition } from '../shared/api/route';
import { routes } from '../shared/api/routes';
import { EVENTS_TABLE, TABLES, VAULT_TABLE } from '../shared/store/tables';
import { VaultApi } from './constructs/api';
import { VaultIdentity } from './constructs/identity';
import { VaultKeys } from './constructs/keys';
import { VaultTables } from './constructs/tables';
import { VaultFunctions } from './constructs/vaultFunctions';
import { DEFAULT_HANDLERS_DIR } from './projectPaths';

/** Context key that points the stack at another handlers folder (experiments only). */
export const HANDLERS_DIR_CONTEXT = 'otpvault:handlersDir';

export interface OtpVaultStackProps extends StackProps {
  /**
   * Folder holding `<op>/handler.ts` for every route.
   * @default - context `otpvault:handlersDir`, else `<repo>/lambdas`
   */
  readonly handlersDir?: string;
}

/**
 * The otpvault backend. It only wires: tables from `TABLES`, one function + route + grant set per row
 * of the route table, the keys, and the user pool the API trusts.
 */
export class OtpVaultStack extends Stack {
  readonly keys: VaultKeys;
  readonly tables: VaultTables;
  readonly identity: VaultIdentity;
  readonly functions: VaultFunctions;
  readonly api: VaultApi;

  constructor(scope: Construct, id: string, props: OtpVaultStackProps = {}) {
    super(scope, id, props);
    const routeTable: readonly RouteDefinition[] = routes;
    const handlersDir =
      props.handlersDir ?? (this.node.tryGetContext(HANDLERS_DIR_CONTEXT) as string | undefined) ?? DEFAULT_HANDLERS_DIR;

    this.keys = new VaultKeys(this, 'Keys');
    this.tables = new VaultTables(this, 'Tables', { definitions: TABLES, encryptionKey: this.keys.tableKey });
    this.identity = new VaultIdentity(this, 'Identity');
    this.functions = new VaultFunctions(this, 'Functions', {
      routes: routeTable,
      handlersDir,
      tables: this.tables,
      vaultTable: VAULT_TABLE,
      eventsTable: EVENTS_TABLE,
      tableDefinitions: TABLES,
      seedKey: this.keys.seedKey,
      tableKey: this.keys.tableKey,
      userPoolId: this.identity.userPool.userPoolId,
      userPoolClientId: this.identity.client.userPoolClientId,
    });
    this.api = new VaultApi(this, 'Api', {
      routes: routeTable,
      functionFor: (op) => this.functions.functionFor(op),
      jwtIssuer: this.identity.issuerUrl,
      jwtAudience: [this.identity.client.userPoolClientId],
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the otpvault API' });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId, description: 'Cognito user pool of otpvault users' });
    new CfnOutput(this, 'UserPoolClientId', { value: this.identity.client.userPoolClientId, description: 'Cognito app client (SRP, no secret)' });
    new CfnOutput(this, 'SeedKeyArn', { value: this.keys.seedKey.keyArn, description: 'KMS key protecting seeds and recovery codes' });
    new CfnOutput(this, 'Region', { value: Aws.REGION, description: 'Region the stack is deployed in' });
    for (const definition of TABLES) {
      new CfnOutput(this, `${definition.id}TableName`, {
        value: this.tables.tableFor(definition).tableName,
        description: `${definition.description} (Lambdas read it from ${definition.envVar})`,
      });
    }
  }
}
