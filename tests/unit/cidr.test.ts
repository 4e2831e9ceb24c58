import { describe, expect, it } from 'vitest';
import { checkGateway, cidrsOverlap, formatIp, parseCidr, parseIp, parseRange } from '../../src/shared/cidr';
import { networkCreateInput } from '../../src/shared/contract';

const cidr = (t: string) => {
  const r = parseCidr(t);
  if (!r.ok) throw new Error(r.message);
  return r.cidr;
};

describe('CIDR checks', () => {
  it('parses IPv4 and IPv6 addresses, and refuses near misses', () => {
    expect(parseIp('10.89.0.1')).toEqual({ family: 4, value: 0x0a590001n });
    expect(parseIp('256.1.1.1')).toBeNull();
    expect(parseIp('10.1.1')).toBeNull();
    expect(parseIp('010.1.1.1')).toBeNull();
    expect(parseIp('fd00::1')?.family).toBe(6);
    expect(parseIp('::ffff:10.0.0.1')?.value).toBe(0xffff0a000001n);
    expect(parseIp('1::2::3')).toBeNull();
    expect(parseIp('fd00:1:2:3:4:5:6:7:8')).toBeNull();
  });

  it('formats IPv6 with the longest zero run compressed', () => {
    expect(formatIp(6, parseIp('fd00:0:0:0:0:0:0:1')!.value)).toBe('fd00::1');
    expect(formatIp(6, parseIp('2001:db8:0:0:1:0:0:1')!.value)).toBe('2001:db8::1:0:0:1');
  });

  it('accepts network addresses and explains the rest', () => {
    expect(cidr('10.89.0.0/24').text).toBe('10.89.0.0/24');
    expect(cidr('fd12:3456::/64').text).toBe('fd12:3456::/64');
    expect(parseCidr('10.89.0.5/24')).toEqual({
      ok: false,
      message: '“10.89.0.5/24” has host bits set: the network is 10.89.0.0/24',
    });
    expect(parseCidr('10.89.0.0')).toMatchObject({ ok: false, message: expect.stringMatching(/needs a prefix length/) });
    expect(parseCidr('10.89.0.0/40')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a prefix length for IPv4/),
    });
    expect(parseCidr('fd00::/129')).toMatchObject({ ok: false });
  });

  it('checks gateways and ranges against their subnet', () => {
    const net = cidr('10.89.0.0/24');
    expect(checkGateway(net, '10.89.0.1')).toBeNull();
    expect(checkGateway(net, '10.89.1.1')).toMatch(/outside/);
    expect(checkGateway(net, '10.89.0.0')).toMatch(/network address/);
    expect(checkGateway(net, '10.89.0.255')).toMatch(/broadcast address/);
    expect(parseRange(net, '10.89.0.128/25')).toEqual({ ok: true, start: '10.89.0.129', end: '10.89.0.255' });
    expect(parseRange(net, '10.89.0.10-10.89.0.20')).toEqual({ ok: true, start: '10.89.0.10', end: '10.89.0.20' });
    expect(parseRange(net, '10.89.0.20-10.89.0.10')).toMatchObject({ ok: false, message: expect.stringMatching(/ends before/) });
    expect(parseRange(net, '10.89.0.0/23')).toMatchObject({ ok: false, message: expect.stringMatching(/not inside/) });
  });

  it('sees overlapping blocks of one family only', () => {
    expect(cidrsOverlap(cidr('10.88.0.0/16'), cidr('10.88.5.0/24'))).toBe(true);
    expect(cidrsOverlap(cidr('10.88.0.0/24'), cidr('10.88.1.0/24'))).toBe(false);
    expect(cidrsOverlap(cidr('10.0.0.0/8'), cidr('fd00::/8'))).toBe(false);
  });

  it('puts it all in the create schema, with the field that is wrong', () => {
    const bad = networkCreateInput.safeParse({ name: 'n', subnets: [{ subnet: '10.0.0.0/24' }, { subnet: '10.0.0.128/25' }] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ['subnets', 1, 'subnet'], message: '10.0.0.128/25 overlaps 10.0.0.0/24' });
    const gateway = networkCreateInput.safeParse({ name: 'n', subnets: [{ subnet: '10.0.0.0/24', gateway: '10.0.1.1' }] });
    expect(gateway.error!.issues[0]!.path).toEqual(['subnets', 0, 'gateway']);
    expect(networkCreateInput.safeParse({ name: 'n', driver: 'macvlan' }).error!.issues[0]!.message).toMatch(/needs a subnet/);
    expect(networkCreateInput.safeParse({ name: 'bad name' }).success).toBe(false);
    expect(networkCreateInput.parse({ name: 'ok' })).toMatchObject({ driver: 'bridge', dnsEnabled: true, subnets: [] });
  });
});
