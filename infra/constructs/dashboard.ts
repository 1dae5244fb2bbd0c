import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, Metric, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, METRICS_SERVICE } from '../../shared/observability/metrics';

const PERIOD = Duration.minutes(5);

const vaultMetric = (metricName: string, statistic: string, label: string): Metric =>
  new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: METRICS_SERVICE }, statistic, period: PERIOD, label });

/**
 * One CloudWatch dashboard over the metrics the functions emit (shared/observability/metrics.ts, EMF):
 * codes handed out and denials, the audit write's latency and failures (no code leaves without it), and
 * picture decoding time and outcome.
 */
export class VaultDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(24) });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: '# otpvault\nCodes, denials, the audit write that comes before every code, and QR pictures.', width: 24, height: 2 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Codes handed out and denials (per 5 min)',
        left: [
          vaultMetric(METRIC.otpCodes, 'Sum', 'OTP codes'),
          vaultMetric(METRIC.recoveryCodes, 'Sum', 'recovery codes'),
          vaultMetric(METRIC.denials, 'Sum', 'denied requests'),
          // Not audited (see shared/auth/originGate.ts): this graph is where direct hits on the people API's execute-api URL show.
          vaultMetric(METRIC.originBypassRefused, 'Sum', 'refused: not through CloudFront'),
          vaultMetric(METRIC.refusalsAggregated, 'Sum', 'refusals counted in a window'),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'Audit write (outbox PutItem before each answer)',
        left: [vaultMetric(METRIC.auditWriteMs, 'p50', 'p50 ms'), vaultMetric(METRIC.auditWriteMs, 'p99', 'p99 ms')],
        right: [vaultMetric(METRIC.auditWriteFailures, 'Sum', 'failures')],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'QR picture decoding',
        left: [vaultMetric(METRIC.pictureDecodeMs, 'p50', 'p50 ms'), vaultMetric(METRIC.pictureDecodeMs, 'p99', 'p99 ms')],
        right: [
          vaultMetric(METRIC.picturesWithCode, 'Sum', 'with a code'),
          vaultMetric(METRIC.picturesWithoutCode, 'Sum', 'no code'),
          vaultMetric(METRIC.picturesRefused, 'Sum', 'refused'),
        ],
        width: 24,
      }),
    );
  }
}
