/**
 * IPv4 and IPv6 addresses and CIDR ranges, parsed with BigInt math.
 *
 * An IPv4-mapped IPv6 address (`::ffff:203.0.113.7`) is an IPv4 client talking over an IPv6
 * socket, so it is turned into the IPv4 address before matching; a mapped range written with
 * a prefix of 96 or more (`::ffff:203.0.113.0/120`) likewise becomes the IPv4 range
 * (`203.0.113.0/24`). Otherwise IPv4 addresses only match IPv4 ranges and IPv6 only IPv6.
 */
import { isIP } from 'node:net';

export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

export interface CidrRange {
  readonly family: 4 | 6;
  /** Network address (host bits zero). */
  readonly network: bigint;
  readonly prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;
const MAPPED_PREFIX = 0xffffn << 32n;
const MAPPED_MASK = ~((1n << 32n) - 1n) & ((1n << 128n) - 1n);

/** Parse an IP address (a zone such as `%eth0` is ignored); undefined when it is not one. */
export function parseIp(text: string): IpAddress | undefined {
  const zone = text.indexOf('%');
  const bare = zone === -1 ? text : text.slice(0, zone);
  const family = isIP(bare);
  if (family === 4) return { family: 4, value: ipv4Value(bare) };
  if (family === 6) return unmap({ family: 6, value: ipv6Value(bare) });
  return undefined;
}

/** Parse `address/prefix` (or a bare address, a single-host range); a problem sentence when invalid. */
export function parseCidr(text: string): { range: CidrRange } | { problem: string } {
  const parts = text.split('/');
  if (parts.length > 2) return { problem: `"${text}" is not a CIDR range (more than one "/")` };
  const [addressText, prefixText] = parts;
  if (addressText.includes('%')) return { problem: `"${text}" is not a CIDR range: a zone ("%...") is not allowed` };
  const family = isIP(addressText);
  if (family === 0) return { problem: `"${text}" is not a CIDR range: "${addressText}" is not an IPv4 or IPv6 address` };
  const bits = BITS[family as 4 | 6];
  let prefix: number = bits;
  if (prefixText !== undefined) {
    if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > bits) {
      return { problem: `"${text}" is not a CIDR range: prefix must be a whole number from 0 to ${bits}` };
    }
    prefix = Number(prefixText);
  }
  const value = family === 4 ? ipv4Value(addressText) : ipv6Value(addressText);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((value & hostMask) !== 0n) {
    const network = formatNetwork(family as 4 | 6, value & ~hostMask, prefix);
    return { problem: `"${text}" has host bits set; the range is written "${network}"` };
  }
  if (family === 6 && prefix >= 96 && (value & MAPPED_MASK) === MAPPED_PREFIX) {
    return { range: { family: 4, network: value & ((1n << 32n) - 1n), prefix: prefix - 96 } };
  }
  return { range: { family: family as 4 | 6, network: value, prefix } };
}

/** True when `ip` lies in `range`. */
export function inRange(ip: IpAddress, range: CidrRange): boolean {
  if (ip.family !== range.family) return false;
  const shift = BigInt(BITS[range.family] - range.prefix);
  return ip.value >> shift === range.network >> shift;
}

function unmap(ip: IpAddress): IpAddress {
  if (ip.family === 6 && (ip.value & MAPPED_MASK) === MAPPED_PREFIX) {
    return { family: 4, value: ip.value & ((1n << 32n) - 1n) };
  }
  return ip;
}

/** Value of a dotted quad already accepted by `isIPv4`. */
function ipv4Value(text: string): bigint {
  return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

/** Value of an IPv6 address already accepted by `isIPv6` (`::` and a dotted IPv4 tail allowed). */
function ipv6Value(text: string): bigint {
  let groups: number[] = [];
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const toGroups = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((g) => {
      if (g.includes('.')) {
        const v = Number(ipv4Value(g));
        return [Math.floor(v / 0x10000), v % 0x10000];
      }
      return [parseInt(g, 16)];
    });
  };
  const headGroups = toGroups(head);
  if (tail === undefined) {
    groups = headGroups;
  } else {
    const tailGroups = toGroups(tail);
    groups = [...headGroups, ...new Array<number>(8 - headGroups.length - tailGroups.length).fill(0), ...tailGroups];
  }
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

function formatNetwork(family: 4 | 6, value: bigint, prefix: number): string {
  if (family === 4) {
    const octets = [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn));
    return `${octets.join('.')}/${prefix}`;
  }
  if ((value & MAPPED_MASK) === MAPPED_PREFIX) {
    return `::ffff:${formatNetwork(4, value & ((1n << 32n) - 1n), prefix).split('/')[0]}/${prefix}`;
  }
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((value >> s) & 0xffffn).toString(16));
  return `${compressIpv6(groups)}/${prefix}`;
}

/** Replace the longest run (two or more) of zero groups with `::`, as RFC 5952 recommends. */
function compressIpv6(groups: string[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart === -1) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}
