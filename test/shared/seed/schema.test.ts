import { z } from 'zod';
import { SeedInputSchema } from '../../../shared/seed';

const messages = (value: unknown): string[] => {
  const result = SeedInputSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.message);
};

describe('SeedInputSchema', () => {
  it.each([
    ['a URI', { uri: 'otpauth://totp/a?secret=JBSWY3DPEHPK3PXP', verifyCode: '123456' }],
    ['a URI with an entry', { uri: 'otpauth-migration://offline?data=', entry: 2 }],
    ['a setup key with every parameter', { setupKey: 'jbsw y3dp', type: 'hotp', algorithm: 'sha512', digits: 8, counter: 3, issuer: 'A', account: 'b' }],
    ['a picture', { qrImage: 'iVBORw0KGgo=', verifyCode: '123 456' }],
    ['a Steam Guard code', { uri: 'otpauth://totp/Steam:a?secret=JBSWY3DPEHPK3PXP&encoder=steam', verifyCode: 'fr8rv' }],
    ['a Steam Guard setup key', { setupKey: 'jbsw y3dp', encoder: 'steam', issuer: 'Steam' }],
  ])('accepts %s', (_name, value) => {
    // Act
    const result = SeedInputSchema.safeParse(value);

    // Assess
    expect(result.success).toBe(true);
    expect(result.data).toEqual(value);
  });

  it.each([
    ['nothing', {}, /give exactly one of uri .*, setupKey .* or qrImage/],
    ['two sources', { uri: 'otpauth://x', setupKey: 'ABC' }, /uri and setupKey were both given/],
    ['a setup-key parameter with a URI', { uri: 'otpauth://x', digits: 6 }, /digits cannot be combined with uri/],
    ['an entry with a setup key', { setupKey: 'ABCDEFGH', entry: 1 }, /entry cannot be combined with setupKey/],
    ['a URI that is not a string', { uri: 42 }, /uri must be a string/],
    ['an empty setup key', { setupKey: '' }, /setupKey is empty/],
    ['digits 9', { setupKey: 'ABCDEFGH', digits: 9 }, /digits must be from 6 to 8/],
    ['period 0', { setupKey: 'ABCDEFGH', period: 0 }, /period must be from 1 to 300 seconds/],
    ['a hyphenated algorithm', { setupKey: 'ABCDEFGH', algorithm: 'SHA-1' }, /SHA1, SHA256 or SHA512/],
    ['type "time"', { setupKey: 'ABCDEFGH', type: 'time' }, /type must be totp or hotp/],
    ['encoder "yandex"', { setupKey: 'ABCDEFGH', encoder: 'yandex' }, /encoder must be decimal or steam/],
    ['an encoder with a URI', { uri: 'otpauth://x', encoder: 'steam' }, /encoder cannot be combined with uri/],
    ['a code given as a number', { uri: 'otpauth://x', verifyCode: 123456 }, /string of digits \(leading zeros matter\)/],
    ['a code with punctuation', { uri: 'otpauth://x', verifyCode: '123-456' }, /6 to 8 digits, or 5 characters for Steam Guard/],
    ['a code of 4 characters', { uri: 'otpauth://x', verifyCode: '1234' }, /6 to 8 digits, or 5 characters for Steam Guard/],
    ['entry 0', { uri: 'otpauth://x', entry: 0 }, /entry counts from 1/],
    ['a string instead of an object', 'otpauth://x', /must be an object/],
  ])('refuses %s with a helpful message', (_name, value, message) => {
    // Act
    const found = messages(value);

    // Assess
    expect(found.join(' | ')).toMatch(message);
  });

  it('describes every field in its JSON Schema', () => {
    // Act
    const schema = z.toJSONSchema(SeedInputSchema) as { description?: string; anyOf: { properties: Record<string, { description?: string }> }[] };

    // Assess
    expect(schema.description).toBeDefined();
    const undescribed = schema.anyOf.flatMap((variant) => Object.entries(variant.properties).filter(([, p]) => !p.description).map(([name]) => name));
    expect(undescribed).toEqual([]);
    expect(schema.anyOf).toHaveLength(3);
  });
});
