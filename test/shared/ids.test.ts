import { ulid } from '../../shared/ids';

describe('ulid', () => {
  it('sorts ids made in the same millisecond in the order they were made', () => {
    // Act
    const ids = Array.from({ length: 500 }, () => ulid(1_796_137_000_000));
    // Assess
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('puts the time first, so a later millisecond sorts after, whatever the random part', () => {
    // Act
    const first = ulid(1_796_137_000_001);
    const second = ulid(1_796_137_000_002);
    const earlier = ulid(1_796_137_000_000);
    // Assess
    expect(first < second).toBe(true);
    expect(earlier < first).toBe(true);
    expect(first).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(first.slice(0, 10)).toBe(ulid(1_796_137_000_001).slice(0, 10));
  });
});
