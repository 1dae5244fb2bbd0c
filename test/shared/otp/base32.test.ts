import { fromBase32, isCanonicalBase32, toBase32 } from '../../../shared/otp';
import { caught } from '../seed/helpers';

describe('base32', () => {
  it('encodes the wiki example key canonically and decodes it back', () => {
    // Prepare
    const key = Uint8Array.from(Buffer.from('48656c6c6f21deadbeef', 'hex'));

    // Act
    const text = toBase32(key);

    // Assess
    expect(text).toBe('JBSWY3DPEHPK3PXP');
    expect(fromBase32(text)).toEqual(key);
  });

  it.each(['A', 'ABC', 'ABCDEF', 'jbswy3dp', 'JBSWY3DP======', 'JBSW1'])('treats %p as not canonical', (text) => {
    // Act, Assess
    expect(isCanonicalBase32(text)).toBe(false);
    expect(() => fromBase32(text)).toThrow(RangeError);
  });

  it('never quotes the input in its error', () => {
    // Prepare
    const text = 'SECRETKEY1';

    // Act
    const error = caught(() => fromBase32(text));

    // Assess
    expect(error.message).not.toContain(text);
  });
});
