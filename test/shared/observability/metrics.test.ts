import { jest } from '@jest/globals';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { VaultDashboard } from '../../../infra/constructs/dashboard';
import { METRIC, vaultMetrics } from '../../../shared/observability/metrics';

/** The EMF documents written to stdout while `act` runs. */
function emfWrittenBy(act: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    spy.mockRestore();
  }
  return lines.flatMap((l) => l.split('\n')).filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('vault metrics (Powertools, EMF)', () => {
  const saved = process.env.OTPVAULT_METRICS;
  afterEach(() => {
    if (saved === undefined) delete process.env.OTPVAULT_METRICS;
    else process.env.OTPVAULT_METRICS = saved;
  });

  it('writes one EMF line per invocation with codes, denials, audit write latency and failures, picture outcome', () => {
    // Prepare
    process.env.OTPVAULT_METRICS = 'on';

    // Act
    const [emf, ...more] = emfWrittenBy(() => {
      vaultMetrics.codeHandedOut('otp');
      vaultMetrics.denied();
      vaultMetrics.auditWrite(4.2, true);
      vaultMetrics.auditWrite(30, false);
      vaultMetrics.pictureDecoded(120, 'code');
      vaultMetrics.publish();
    });

    // Assess
    expect(more).toEqual([]);
    expect(emf).toMatchObject({
      service: 'otpvault',
      [METRIC.otpCodes]: 1,
      [METRIC.denials]: 1,
      [METRIC.auditWriteMs]: [4.2, 30],
      [METRIC.auditWriteFailures]: 1,
      [METRIC.pictureDecodeMs]: 120,
      [METRIC.picturesWithCode]: 1,
    });
    expect(JSON.stringify(emf._aws)).toContain('"Namespace":"otpvault"');
  });

  it('writes nothing outside Lambda unless asked (the local runner and tests would print a line per request)', () => {
    // Prepare
    delete process.env.OTPVAULT_METRICS;

    // Act
    const written = emfWrittenBy(() => {
      vaultMetrics.codeHandedOut('otp');
      vaultMetrics.publish();
    });

    // Assess
    expect(process.env.AWS_LAMBDA_FUNCTION_NAME).toBeUndefined();
    expect(written).toEqual([]);
  });
});

describe('VaultDashboard', () => {
  it('graphs every metric the functions emit, in their namespace and service dimension', () => {
    // Prepare: without CDK's built-in CloudFormation schema validation (seconds of WASM per synth, and
    // nothing this test reads), as the vault's own app (infra/otpVaultApp.ts); test/infra/nag.test.ts runs it.
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'DashboardTest');

    // Act
    new VaultDashboard(stack, 'Dashboard');

    // Assess
    const [dashboard] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
    const parts = dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[];
    const body = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'us-east-1')).join('')) as { widgets: { properties: { metrics?: unknown[][] } }[] };
    const graphed = body.widgets.flatMap((w) => w.properties.metrics ?? []).map(([namespace, name, dimension, value]) => ({ namespace, name, dimension, value }));
    for (const name of Object.values(METRIC)) expect(graphed).toContainEqual({ namespace: 'otpvault', name, dimension: 'service', value: 'otpvault' });
  });
});
