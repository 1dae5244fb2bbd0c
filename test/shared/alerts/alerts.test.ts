import { marshall } from '@aws-sdk/util-dynamodb';
import { alertsFor, type Alert } from '../../../shared/alerts/alert';
import { AlertPublisher } from '../../../shared/alerts/AlertPublisher';
import type { AlertSink } from '../../../shared/alerts/sinks';
import type { AuditEvent } from '../../../shared/audit/event';
import { createLogger } from '../../../shared/log/logger';

const event = (fields: Partial<AuditEvent>): AuditEvent => ({
  eventId: '01JEVENT00000000000000000A',
  time: '2090-01-01T00:00:00.000Z',
  actor: { principal: 'user:bob', kind: 'user', groups: [] },
  action: 'otp:generate',
  operation: 'generateOtp',
  target: { secretId: 's-1', path: '/aws/root' },
  result: 'allowed',
  reason: 'otp generated',
  status: 200,
  source: { ip: '127.0.0.1', userAgent: 'test' },
  requestId: 'r-1',
  details: {},
  ...fields,
});

describe('alertsFor', () => {
  it.each<[string, Partial<AuditEvent>, string[]]>([
    ['an OTP of an alertOnUse secret', { details: { alertOnUse: true } }, ['Secret Used']],
    ['an OTP of another secret', {}, []],
    ['a denied OTP of an alertOnUse secret', { result: 'denied', reason: 'not allowed', details: { alertOnUse: true } }, []],
    ['a read of an alertOnUse secret', { reason: 'ok', details: { alertOnUse: true } }, []],
    ['an access request', { reason: 'access requested', details: { accessRequestId: 'AR1' } }, ['Access Requested']],
    ['a denial of a request', { reason: 'access request denied' }, ['Access Denied']],
    ['a recovery code leaving 3', { reason: 'recovery code revealed', details: { remaining: 3 } }, []],
    ['a recovery code leaving 2', { reason: 'recovery code revealed', details: { remaining: 2 } }, ['Recovery Codes Low']],
    ['a recovery code of an alertOnUse secret leaving 0', { reason: 'recovery code revealed', details: { remaining: 0, alertOnUse: true } }, ['Secret Used', 'Recovery Codes Low']],
  ])('for %s: %j', (_case, fields, types) => {
    // Act
    const alerts = alertsFor(event(fields));
    // Assess
    expect(alerts.map((a) => a.type)).toEqual(types);
    expect(new Set(alerts.map((a) => a.id)).size).toBe(alerts.length);
  });

  it('names the grant a code was handed out under', () => {
    // Act
    const [alert] = alertsFor(event({ details: { alertOnUse: true, grant: 'AR1', grantUntil: '2090-01-01T01:00:00.000Z' } }));
    // Assess
    expect(alert).toMatchObject({ who: 'user:bob', secretId: 's-1', path: '/aws/root', what: 'otp', grant: { requestId: 'AR1', until: '2090-01-01T01:00:00.000Z' } });
  });
});

describe('AlertPublisher when the bus refuses', () => {
  it('reports the record and every later one for retry, and marks nothing sent', async () => {
    // Prepare: a sink that fails (fault injection) and markers that remember in memory
    const marked: string[] = [];
    const sink: AlertSink = { publish: async (_alerts: readonly Alert[]) => Promise.reject(new Error('bus down')) };
    const publisher = new AlertPublisher(sink, { sent: async () => false, mark: async (id) => void marked.push(id) }, createLogger({ level: 'error' }));
    const record = (seq: string) => ({ eventName: 'INSERT', dynamodb: { SequenceNumber: seq, NewImage: marshall(event({ details: { alertOnUse: true } })) } });
    const quiet = { eventName: 'INSERT', dynamodb: { SequenceNumber: '0', NewImage: marshall(event({ reason: 'ok' })) } };
    // Act
    const result = await publisher.consume([quiet, record('1'), record('2')]);
    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '1' }, { itemIdentifier: '2' }]);
    expect(marked).toEqual([]);
  });
});
