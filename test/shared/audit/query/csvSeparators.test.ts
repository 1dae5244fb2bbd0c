import { csvCell } from '../../../../shared/audit/query/csv';

describe('csvCell in semicolon and tab separated locales', () => {
  it.each([
    ['a;b', '"a;b"'],
    ['a\tb', '"a\tb"'],
    ['path;=cmd()', '"path;=cmd()"'],
  ])('quotes %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('still leaves a plain cell unquoted', () => {
    expect(csvCell('user:alice')).toBe('user:alice');
  });
});
