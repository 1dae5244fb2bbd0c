/**
 * JSON with object keys sorted at every level and no whitespace: the same value always gives the
 * same bytes, whatever order its keys were built or unmarshalled in. Archive lines and the signed
 * part of a digest are written this way, so hashes and signatures can be recomputed.
 *
 * @param value - Plain JSON data (objects, arrays, strings, finite numbers, booleans, null).
 * @example
 * canonicalJson({ b: 1, a: [true] }); // '{"a":[true],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonical JSON has no infinite numbers');
    if (value === undefined || typeof value === 'function' || typeof value === 'bigint' || typeof value === 'symbol') {
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
}
