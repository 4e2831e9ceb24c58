/**
 * IPv4 and IPv6 addresses and CIDR blocks, checked before the engine is called: the network form
 * and main's schema both use these, so a typo gets a sentence, not a libpod 500.
 */
export interface Cidr {
  family: 4 | 6;
  /** The network address as a number (IPv6: 128 bits). */
  network: bigint;
  prefix: number;
  text: string;
}

export function parseIp(text: string): { family: 4 | 6; value: bigint } | null {
  const t = text.trim();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) {
    const parts = t.split('.').map(Number);
    if (parts.some((p, i) => p > 255 || (t.split('.')[i]!.length > 1 && t.split('.')[i]!.startsWith('0')))) return null;
    return { family: 4, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (!t.includes(':') || !/^[0-9a-fA-F:.]+$/.test(t)) return null;
  const halves = t.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIp(p);
        if (!v4 || v4.family !== 4) return null;
        out.push(Number(v4.value >> 16n), Number(v4.value & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return { family: 6, value: all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n) };
}

const bits = (family: 4 | 6) => (family === 4 ? 32 : 128);

function mask(family: 4 | 6, prefix: number): bigint {
  const width = BigInt(bits(family));
  return ((1n << width) - 1n) ^ ((1n << (width - BigInt(prefix))) - 1n);
}

export function formatIp(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of zero groups (at least two) becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export type CidrResult = { ok: true; cidr: Cidr } | { ok: false; message: string };

/** A subnet as Podman wants it: an address, a prefix, and no host bits set. */
export function parseCidr(text: string): CidrResult {
  const t = text.trim();
  const slash = t.indexOf('/');
  if (slash < 0) return { ok: false, message: `“${t}” needs a prefix length, e.g. ${t || '10.89.0.0'}/24` };
  const ip = parseIp(t.slice(0, slash));
  if (!ip) return { ok: false, message: `“${t.slice(0, slash)}” is not an IP address` };
  const prefixText = t.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > bits(ip.family)) {
    return { ok: false, message: `“/${prefixText}” is not a prefix length for IPv${ip.family} (0–${bits(ip.family)})` };
  }
  const network = ip.value & mask(ip.family, prefix);
  if (network !== ip.value) {
    const fixed = `${formatIp(ip.family, network)}/${prefix}`;
    return { ok: false, message: `“${t}” has host bits set: the network is ${fixed}` };
  }
  return { ok: true, cidr: { family: ip.family, network, prefix, text: `${formatIp(ip.family, network)}/${prefix}` } };
}

export function cidrContains(cidr: Cidr, ip: { family: 4 | 6; value: bigint }): boolean {
  return cidr.family === ip.family && (ip.value & mask(cidr.family, cidr.prefix)) === cidr.network;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const prefix = Math.min(a.prefix, b.prefix);
  const m = mask(a.family, prefix);
  return (a.network & m) === (b.network & m);
}

/** The address Podman takes as a subnet's gateway when none is given: the first after the network address. */
export function defaultGateway(cidr: Cidr): string {
  return formatIp(cidr.family, cidr.network + 1n);
}

/** The first and last address of a block. */
export function cidrBounds(cidr: Cidr): { first: bigint; last: bigint } {
  const hostBits = BigInt(bits(cidr.family) - cidr.prefix);
  return { first: cidr.network, last: cidr.network + (1n << hostBits) - 1n };
}

/** A gateway must lie inside the subnet and not be its network or (IPv4) broadcast address. */
export function checkGateway(cidr: Cidr, text: string): string | null {
  const ip = parseIp(text);
  if (!ip) return `“${text}” is not an IP address`;
  if (!cidrContains(cidr, ip)) return `The gateway ${text} is outside ${cidr.text}`;
  const { first, last } = cidrBounds(cidr);
  if (cidr.family === 4 && cidr.prefix < 31 && (ip.value === first || ip.value === last)) {
    return `The gateway ${text} is the ${ip.value === first ? 'network' : 'broadcast'} address of ${cidr.text}`;
  }
  return null;
}

/**
 * An IP range inside a subnet, given as a CIDR ("10.89.0.128/25") or as "first-last"; returns
 * the first and last address Podman should hand out.
 */
export function parseRange(
  subnet: Cidr,
  text: string,
): { ok: true; start: string; end: string } | { ok: false; message: string } {
  const t = text.trim();
  let start: bigint;
  let end: bigint;
  if (t.includes('-')) {
    const [a, b] = t.split('-').map((s) => parseIp(s));
    if (!a || !b) return { ok: false, message: `“${t}” is not a range: write first-last or a CIDR` };
    if (a.family !== subnet.family || b.family !== subnet.family)
      return { ok: false, message: `The range ${t} is not IPv${subnet.family}` };
    start = a.value;
    end = b.value;
  } else {
    const block = parseCidr(t);
    if (!block.ok) return block;
    if (block.cidr.family !== subnet.family) return { ok: false, message: `The range ${t} is not IPv${subnet.family}` };
    ({ first: start, last: end } = cidrBounds(block.cidr));
    // As `podman network create --ip-range` reads a CIDR: from the block's first address after
    // its network address, so a network made here and one made with the CLI are the same.
    if (end > start) start += 1n;
  }
  if (start > end) return { ok: false, message: `The range ${t} ends before it starts` };
  const { first, last } = cidrBounds(subnet);
  if (start < first || end > last) return { ok: false, message: `The range ${t} is not inside ${subnet.text}` };
  return { ok: true, start: formatIp(subnet.family, start), end: formatIp(subnet.family, end) };
}
