import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ALERT_SOURCE, type Alert } from './alert';

/** Where alerts go. `publish` resolves once the alert is accepted, and throws otherwise. */
export interface AlertSink {
  publish(alerts: readonly Alert[]): Promise<void>;
}

/** PutEvents accepts at most this many entries per call. */
const PUT_EVENTS_MAX = 10;

/**
 * The stack's EventBridge bus. A rule on the bus forwards every alert to the SNS topic admins
 * subscribe to (email, chat webhook), so the publisher needs `events:PutEvents` on this bus only.
 */
export class EventBridgeSink implements AlertSink {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(alerts: readonly Alert[]): Promise<void> {
    for (let i = 0; i < alerts.length; i += PUT_EVENTS_MAX) {
      const batch = alerts.slice(i, i + PUT_EVENTS_MAX);
      const out = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((alert) => ({
            EventBusName: this.busName,
            Source: ALERT_SOURCE,
            DetailType: alert.type,
            Time: new Date(alert.time),
            Resources: [],
            Detail: JSON.stringify(alert),
          })),
        }),
      );
      if ((out.FailedEntryCount ?? 0) > 0) {
        const codes = (out.Entries ?? []).map((e) => e.ErrorCode).filter(Boolean);
        throw new Error(`EventBridge refused ${out.FailedEntryCount} of ${batch.length} alerts (${codes.join(', ')})`);
      }
    }
  }
}

/**
 * The local runner's bus: one JSON line per alert in a file of the data directory, and a line in
 * the runner's log.
 */
export class JsonLinesSink implements AlertSink {
  constructor(
    private readonly file: string,
    private readonly print?: (line: string) => void,
  ) {}

  async publish(alerts: readonly Alert[]): Promise<void> {
    if (alerts.length === 0) return;
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, alerts.map((alert) => `${JSON.stringify({ source: ALERT_SOURCE, 'detail-type': alert.type, detail: alert })}\n`).join(''));
    for (const alert of alerts) this.print?.(`alert ${alert.type}: ${alert.who} ${alert.what}${alert.path ? ` on ${alert.path}` : ''} (${alert.id})`);
  }
}
