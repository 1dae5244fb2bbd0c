import { joinStructuredAppend } from '../../../../shared/seed/qr/structuredAppend';
import type { FoundQr } from '../../../../shared/seed/qr/types';

const at = (x: number): FoundQr['corners'] => [{ x, y: 0 }, { x: x + 10, y: 0 }, { x: x + 10, y: 10 }, { x, y: 10 }];
const part = (text: string, index: number, size: number, x: number, id = '95'): FoundQr => ({ text, corners: at(x), sequence: { id, index, size } });
const plain = (text: string, x: number): FoundQr => ({ text, corners: at(x) });

describe('joinStructuredAppend', () => {
  it('joins a complete sequence in index order, where its first part in reading order was', () => {
    // Prepare
    const found = [plain('before', 0), part('C', 2, 3, 20), part('A', 0, 3, 40), plain('between', 60), part('B', 1, 3, 80)];

    // Act
    const joined = joinStructuredAppend(found);

    // Assess
    expect(joined.map((f) => f.text)).toEqual(['before', 'ABC', 'between']);
    expect(joined[1].corners).toEqual(at(20));
    expect(joined[1].sequence).toBeUndefined();
  });

  it('leaves the parts of an incomplete sequence as they are', () => {
    // Prepare
    const found = [part('A', 0, 3, 0), part('C', 2, 3, 20)];

    // Act
    const joined = joinStructuredAppend(found);

    // Assess
    expect(joined).toEqual(found);
  });

  it('leaves the parts as they are when two different parts claim the same index', () => {
    // Prepare
    const found = [part('A', 0, 2, 0), part('X', 0, 2, 20), part('B', 1, 2, 40)];

    // Act
    const joined = joinStructuredAppend(found);

    // Assess
    expect(joined).toEqual(found);
  });

  it('keeps sequences with different ids apart, and counts a part seen twice once', () => {
    // Prepare
    const found = [part('A', 0, 2, 0, '1'), part('P', 0, 2, 20, '2'), part('B', 1, 2, 40, '1'), part('A', 0, 2, 60, '1')];

    // Act
    const joined = joinStructuredAppend(found);

    // Assess
    expect(joined.map((f) => f.text)).toEqual(['AB', 'P']);
  });
});
