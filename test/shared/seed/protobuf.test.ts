import { MAX_PROTO_FIELDS, ProtobufError, readFields } from '../../../shared/seed/protobuf';
import { caught } from './helpers';

describe('readFields', () => {
  it('reads varint, length-delimited and fixed-width fields in order', () => {
    // Prepare: field 1 = 150 (varint), field 2 = "hi", field 3 fixed32, field 4 fixed64
    const bytes = Uint8Array.of(0x08, 0x96, 0x01, 0x12, 0x02, 0x68, 0x69, 0x1d, 1, 2, 3, 4, 0x21, 1, 2, 3, 4, 5, 6, 7, 8);

    // Act
    const fields = readFields(bytes);

    // Assess
    expect(fields).toEqual([
      { field: 1, wireType: 0, value: 150n },
      { field: 2, wireType: 2, bytes: Uint8Array.of(0x68, 0x69) },
      { field: 3, wireType: 5 },
      { field: 4, wireType: 1 },
    ]);
  });

  it('reads the largest 64-bit varint', () => {
    // Prepare
    const bytes = Uint8Array.of(0x08, ...Array<number>(9).fill(0xff), 0x01);

    // Act
    const [field] = readFields(bytes);

    // Assess
    expect(field).toEqual({ field: 1, wireType: 0, value: 2n ** 64n - 1n });
  });

  it.each([
    ['a varint above 64 bits', Uint8Array.of(0x08, ...Array<number>(9).fill(0xff), 0x02), /64 bits/],
    ['a fixed64 cut short', Uint8Array.of(0x21, 1, 2, 3), /truncated/],
    ['a fixed32 cut short', Uint8Array.of(0x1d, 1), /truncated/],
    ['wire type 6', Uint8Array.of(0x0e), /wire type/],
    ['a field number above 2^29 - 1', Uint8Array.of(0xf8, 0xff, 0xff, 0xff, 0x7f, 0x00), /field number/],
  ])('refuses %s', (_name, bytes, message) => {
    // Act
    const error = caught(() => readFields(bytes));

    // Assess
    expect(error).toBeInstanceOf(ProtobufError);
    expect(error.message).toMatch(message);
  });

  it(`stops after ${MAX_PROTO_FIELDS} fields`, () => {
    // Prepare
    const bytes = new Uint8Array(2 * (MAX_PROTO_FIELDS + 1)).fill(0x08).map((b, i) => (i % 2 === 0 ? b : 0));

    // Act
    const error = caught(() => readFields(bytes));

    // Assess
    expect(error.message).toMatch(/too many fields/);
  });

  it('returns views into the buffer rather than copies sized by a declared length', () => {
    // Prepare
    const bytes = Uint8Array.of(0x0a, 0x01, 0x41);

    // Act
    const [field] = readFields(bytes);

    // Assess
    expect(field?.wireType === 2 && field.bytes.buffer).toBe(bytes.buffer);
  });
});
