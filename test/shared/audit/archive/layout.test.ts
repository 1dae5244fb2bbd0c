import { gunzipSync } from 'node:zlib';
import { canonicalJson, eventObjectsFor, VerifyArchiveParams } from '../../../../shared/audit/archive';
import { digestKey } from '../../../../shared/audit/archive/keys';
import { auditEvent } from '../pipelineFixture';

describe('archive layout', () => {
  it('writes the same bytes for the same value whatever the key order', () => {
    // Act
    const a = canonicalJson({ b: 1, a: { d: [true, null], c: 'x' } });
    const b = canonicalJson({ a: { c: 'x', d: [true, null] }, b: 1 });
    // Assess
    expect(a).toBe('{"a":{"c":"x","d":[true,null]},"b":1}');
    expect(b).toBe(a);
  });

  it('names an event object by its day, its first and last event and its content', () => {
    // Prepare
    const first = auditEvent('2026-11-27T10:00:00.000Z');
    const last = auditEvent('2026-11-27T10:00:05.000Z');
    // Act
    const [object] = eventObjectsFor([first, last]);
    const [reordered] = eventObjectsFor([{ ...first, details: {}, target: { path: '/a/b', secretId: 's-1' } }, last]);
    // Assess
    expect(object?.key).toBe(`events/yyyy=2026/mm=11/dd=27/${first.eventId}-${last.eventId}-${object?.contentSha256.slice(0, 16)}.jsonl.gz`);
    expect(reordered?.key).toBe(object?.key);
    expect(gunzipSync(object!.body).toString('utf8').split('\n')).toEqual([canonicalJson(first), canonicalJson(last), '']);
  });

  it('names digests by day, time and zero-padded sequence number', () => {
    // Act
    const key = digestKey(Date.parse('2026-11-27T21:05:09.123Z'), 42);
    // Assess
    expect(key).toBe('digests/yyyy=2026/mm=11/dd=27/20261127T210509Z-0000000042.json');
  });

  it.each([
    [{ from: '2026-11-01' }, { from: '2026-11-01', to: '2026-11-01' }],
    [{ from: '2026-11-01', to: '2026-11-27' }, { from: '2026-11-01', to: '2026-11-27' }],
    [{ from: '2026-11-01T23:30:00+02:00', to: '2026-11-02T00:10:00Z' }, { from: '2026-11-01', to: '2026-11-02' }],
  ])('accepts the verify range %j as UTC days', (query, days) => {
    // Act
    const parsed = VerifyArchiveParams.safeParse(query);
    // Assess
    expect(parsed.success && parsed.data).toEqual(days);
  });

  it.each([
    [{ from: '2026-11-27', to: '2026-11-01' }, 'from after to'],
    [{ from: '2026-01-01', to: '2026-02-01' }, 'more than 31 days'],
    [{ from: '2026-02-30' }, 'not a real date'],
    [{ from: 'yesterday' }, 'not a date'],
    [{ to: '2026-11-27' }, 'no from'],
    [{ from: '2026-11-27', limit: '5' }, 'an unknown parameter'],
  ])('refuses the verify range %j (%s)', (query: Record<string, string>, _reason: string) => {
    // Act
    const parsed = VerifyArchiveParams.safeParse(query);
    // Assess
    expect(parsed.success).toBe(false);
  });
});
