/**
 * A minimal protobuf wire-format reader: just enough for the Google Authenticator export. It reads one
 * message level at a time (callers decode nested messages explicitly, so depth is fixed), refuses groups,
 * over-long varints and lengths that run past the end, and never allocates from a declared length.
 */

/** The input is not a well-formed protobuf message. The message never holds payload bytes. */
export class ProtobufError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufError';
  }
}

export type ProtoField =
  | { field: number; wireType: 0; value: bigint }
  | { field: number; wireType: 2; bytes: Uint8Array }
  | { field: number; wireType: 1 | 5 };

/** At most this many fields per message: far more than any export, and it bounds the work. */
export const MAX_PROTO_FIELDS = 10_000;

/** Reads a base-128 varint at `offset`: at most 10 bytes (64 bits). */
function readVarint(buf: Uint8Array, offset: number): { value: bigint; next: number } {
  let value = 0n;
  for (let i = 0; i < 10; i += 1) {
    const at = offset + i;
    if (at >= buf.length) throw new ProtobufError('truncated varint');
    const byte = buf[at];
    if (i === 9 && byte > 1) throw new ProtobufError('varint longer than 64 bits');
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) return { value, next: at + 1 };
  }
  throw new ProtobufError('varint longer than 64 bits');
}

/**
 * Splits one message into its fields, in order. Fixed-width fields are skipped over (no export uses them).
 *
 * @param buf - the serialized message
 * @example
 * readFields(Uint8Array.of(0x10, 0x01)); // [{ field: 2, wireType: 0, value: 1n }]
 */
export function readFields(buf: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let offset = 0;
  while (offset < buf.length) {
    if (fields.length >= MAX_PROTO_FIELDS) throw new ProtobufError('too many fields');
    const tag = readVarint(buf, offset);
    offset = tag.next;
    const field = Number(tag.value >> 3n);
    const wireType = Number(tag.value & 7n);
    if (field < 1 || field > 0x1fffffff) throw new ProtobufError('invalid field number');
    switch (wireType) {
      case 0: {
        const v = readVarint(buf, offset);
        offset = v.next;
        fields.push({ field, wireType, value: v.value });
        break;
      }
      case 2: {
        const length = readVarint(buf, offset);
        offset = length.next;
        if (length.value > BigInt(buf.length - offset)) throw new ProtobufError('truncated field');
        const end = offset + Number(length.value);
        fields.push({ field, wireType, bytes: buf.subarray(offset, end) });
        offset = end;
        break;
      }
      case 1:
      case 5: {
        const size = wireType === 1 ? 8 : 4;
        if (offset + size > buf.length) throw new ProtobufError('truncated field');
        offset += size;
        fields.push({ field, wireType });
        break;
      }
      default:
        throw new ProtobufError('unsupported wire type');
    }
  }
  return fields;
}
