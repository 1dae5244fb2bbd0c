import { PolicyEngine } from '../../../shared/policy/index';
import { allowPolicy, request } from './helpers';

/** Whether an allow limited to `ranges` lets a request from `sourceIp` in. */
function allowedFrom(ranges: string[], sourceIp: string | undefined): boolean {
  const engine = new PolicyEngine([allowPolicy({ conditions: { sourceIp: ranges } })], { includeBuiltins: false });
  return engine.decide(request({ sourceIp }), 'otp:generate', '/aws/x').allowed;
}

describe('the sourceIp condition', () => {
  it.each([
    // IPv4
    [['203.0.113.0/24'], '203.0.113.7', true],
    [['203.0.113.0/24'], '203.0.113.255', true],
    [['203.0.113.0/24'], '203.0.114.1', false],
    [['203.0.113.0/24'], '203.0.112.255', false],
    [['10.0.0.0/8', '192.168.0.0/16'], '192.168.44.1', true],
    [['0.0.0.0/0'], '198.51.100.1', true],
    [['198.51.100.7'], '198.51.100.7', true],
    [['198.51.100.7/32'], '198.51.100.8', false],
    [['128.0.0.0/1'], '127.255.255.255', false],
    [['128.0.0.0/1'], '128.0.0.0', true],
    // IPv6
    [['2001:db8::/32'], '2001:db8:1234::1', true],
    [['2001:db8::/32'], '2001:0db8:0000:0000:0000:0000:0000:0001', true],
    [['2001:db8::/32'], '2001:db9::1', false],
    [['2001:db8:abcd:12::/64'], '2001:db8:abcd:12:ffff:ffff:ffff:ffff', true],
    [['2001:db8:abcd:12::/64'], '2001:db8:abcd:13::', false],
    [['::/0'], '2001:db8::1', true],
    [['::1'], '::1', true],
    [['fe80::/10'], 'fe80::1%eth0', true],
    // families do not mix, except IPv4-mapped IPv6
    [['::/0'], '203.0.113.7', false],
    [['0.0.0.0/0'], '2001:db8::1', false],
    [['203.0.113.0/24'], '::ffff:203.0.113.7', true],
    [['203.0.113.0/24'], '::FFFF:cb00:7107', true],
    [['203.0.113.0/24'], '::ffff:203.0.114.7', false],
    [['::ffff:203.0.113.0/120'], '203.0.113.9', true],
    [['::ffff:203.0.113.0/120'], '::ffff:203.0.113.9', true],
    [['::ffff:203.0.113.0/120'], '203.0.114.9', false],
    [['::/0'], '::ffff:203.0.113.7', false],
  ])('ranges %j let %s in: %s', (ranges, sourceIp, expected) => {
    // Prepare, Act
    const allowed = allowedFrom(ranges, sourceIp);
    // Assess
    expect(allowed).toBe(expected);
  });
});
