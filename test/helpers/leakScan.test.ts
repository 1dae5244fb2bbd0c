import { randomBytes } from 'node:crypto';
import { base64AtAnyOffset, encodingsOf, scan } from './leakScan';

// The leak scan's own checks: a scan that cannot find a seed proves nothing.
describe('the leak scan', () => {
  const seed = new Uint8Array(randomBytes(20));
  const secrets = [{ name: 'seed', patterns: encodingsOf(seed) }];

  it.each([0, 1, 2, 3, 4, 5, 17])('finds a seed inside a larger buffer encoded in base64, %i bytes in', (offset) => {
    // Prepare
    const around = Buffer.concat([randomBytes(offset), seed, randomBytes(7)]);
    // Act
    const hits = scan(
      [
        { where: 'base64', data: Buffer.from(around.toString('base64')) },
        { where: 'base64url', data: Buffer.from(around.toString('base64url')) },
      ],
      secrets,
    );
    // Assess
    expect(hits.map((hit) => hit.where)).toEqual(['base64', 'base64url']);
  });

  it('finds a seed as raw bytes and as hex in either case', () => {
    // Act
    const hits = scan(
      [
        { where: 'raw', data: Buffer.concat([Buffer.from('x'), seed]) },
        { where: 'hex', data: Buffer.from(`"${Buffer.from(seed).toString('hex')}"`) },
        { where: 'HEX', data: Buffer.from(Buffer.from(seed).toString('hex').toUpperCase()) },
      ],
      secrets,
    );
    // Assess
    expect(hits.map((hit) => hit.where)).toEqual(['raw', 'hex', 'HEX']);
  });

  it('finds nothing in data that does not hold the seed', () => {
    // Act
    const hits = scan([{ where: 'other', data: Buffer.from(randomBytes(4096).toString('base64')) }], secrets);
    // Assess
    expect(hits).toEqual([]);
    expect(base64AtAnyOffset(seed).every((pattern) => pattern.length >= 24)).toBe(true);
  });
});
