import { auditItem, csvCell, exportFile } from '../../../../shared/audit/query';
import type { AuditEvent } from '../../../../shared/audit/event';
import { TooLargeError } from '../../../../shared/errors';

function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    eventId: '01JNX5Q8ZC0000000000000001',
    time: '2025-03-10T10:00:00.000Z',
    actor: { principal: 'user:alice', kind: 'user', groups: ['admins', 'ops'], sub: '7c3e9a4b-sub' },
    action: 'otp:generate',
    operation: 'generateOtp',
    target: { secretId: 'secret-0001', path: '/aws/prod/root' },
    result: 'allowed',
    reason: 'otp generated',
    status: 200,
    source: { ip: '192.0.2.1', userAgent: 'curl/8' },
    requestId: 'req-1',
    details: { type: 'totp', timeStep: 58_000_000 },
    ...overrides,
  };
}

describe('csvCell', () => {
  it.each([
    ['plain text', 'otp generated', 'otp generated'],
    ['a comma', 'a,b', '"a,b"'],
    ['quotes', 'say "hi"', '"say ""hi"""'],
    ['a line break', 'one\ntwo', '"one\ntwo"'],
    ['a carriage return inside', 'one\r\ntwo', '"one\r\ntwo"'],
  ])('quotes only when needed: %s', (_what, value, expected) => {
    // Act / Assess
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['=', '=1+1', "'=1+1"],
    ['+', '+31 6', "'+31 6"],
    ['-', '-2', "'-2"],
    ['@', '@SUM(A1)', "'@SUM(A1)"],
    // A tab is also a separator in tab-separated imports: the defused cell is quoted too.
    ['tab', '\t=1', "\"'\t=1\""],
    ['= with a quote', '=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ['= with a comma', '=1,2', '"\'=1,2"'],
  ])('defuses a cell starting with %s so no spreadsheet runs it', (_what, value, expected) => {
    // Act / Assess
    expect(csvCell(value)).toBe(expected);
  });

  it('writes numbers as they are and nothing for absent values', () => {
    // Act / Assess
    expect(csvCell(200)).toBe('200');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(null)).toBe('');
  });
});

describe('exportFile', () => {
  it('writes a CSV with a header row and one CRLF-terminated row per event', () => {
    // Prepare
    const events = [event(), event({ eventId: '01JNX5Q8ZC0000000000000002', reason: '=cmd|" /C calc"!A0', target: {} })];

    // Act
    const file = exportFile(events, 'csv', { from: '2025-03-10T00:00:00.000Z', to: '2025-03-11T00:00:00.000Z' });

    // Assess
    const lines = file.body.split('\r\n');
    expect(file.contentType).toMatch(/^text\/csv; charset=utf-8/);
    expect(file.filename).toBe('otpvault-audit_20250310T000000Z_20250311T000000Z.csv');
    expect(lines[0]).toBe(
      'time,eventId,actor,actorKind,actorGroups,actorSub,action,operation,result,status,secretId,path,templateId,policyId,reason,sourceIp,userAgent,requestId,details',
    );
    expect(lines[1]).toBe(
      '2025-03-10T10:00:00.000Z,01JNX5Q8ZC0000000000000001,user:alice,user,admins ops,7c3e9a4b-sub,otp:generate,generateOtp,allowed,200,secret-0001,/aws/prod/root,,,otp generated,192.0.2.1,curl/8,req-1,"{""type"":""totp"",""timeStep"":58000000}"',
    );
    expect(lines[2]).toContain(',"\'=cmd|"" /C calc""!A0",');
    expect(lines[3]).toBe('');
    expect(lines).toHaveLength(4);
  });

  it('refuses a file larger than one Lambda response may carry, with advice to narrow the range', () => {
    // Prepare
    const big = Array.from({ length: 8000 }, (_, i) => event({ eventId: `e-${i}`, reason: 'x'.repeat(700) }));

    // Act
    const render = () => exportFile(big, 'csv', {});

    // Assess
    expect(render).toThrow(TooLargeError);
    expect(render).toThrow(/narrow from\/to or add a filter/);
  });

  it('writes JSON Lines that read back as the events', () => {
    // Prepare
    const events = [event(), event({ eventId: '01JNX5Q8ZC0000000000000002' })];

    // Act
    const file = exportFile(events, 'jsonl', {});

    // Assess
    expect(file.contentType).toMatch(/^application\/x-ndjson/);
    expect(file.filename).toBe('otpvault-audit_start_now.jsonl');
    expect(file.body.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual(events);
  });
});

describe('auditItem', () => {
  it('keys an event by its UTC day, its time and id, and its actor, secret and path', () => {
    // Act
    const item = auditItem(event({ time: '2025-03-10T23:59:59.999Z' }));

    // Assess
    expect(item).toMatchObject({
      pk: 'DAY#2025-03-10',
      sk: '2025-03-10T23:59:59.999Z#01JNX5Q8ZC0000000000000001',
      actorKey: 'user:alice',
      secretKey: 'secret-0001',
      pathKey: '/aws/prod/root',
    });
  });

  it('leaves out the index keys an event has no value for', () => {
    // Act
    const item = auditItem(event({ target: {} }));

    // Assess
    expect(item).not.toHaveProperty('secretKey');
    expect(item).not.toHaveProperty('pathKey');
  });
});
