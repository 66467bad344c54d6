import { describe, expect, it } from 'vitest';
import { clientNetwork, rateLimitKeys } from '../../src/application/security/rate-limit-keys.js';

describe('rate-limit keys', () => {
  it('count an IPv4 client by its address, and an IPv6 client by its /64, however the address is written', () => {
    expect(clientNetwork('203.0.113.9')).toBe('203.0.113.9');
    const same = ['2001:db8:1:2::1', '2001:db8:1:2::28', '2001:0DB8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2:a:b:c:d'];
    expect(new Set(same.map(clientNetwork))).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(clientNetwork('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork('fe80::1')).toBe('fe80:0:0:0::/64');
    expect(clientNetwork('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
    expect(clientNetwork(null)).toBe('unknown');
    // An IPv4 client written as IPv6, in any spelling, is that IPv4 client (not one bucket for all of them).
    for (const mapped of ['::ffff:203.0.113.9', '::FFFF:203.0.113.9', '::ffff:cb00:7109', '0:0:0:0:0:ffff:cb00:7109']) expect(clientNetwork(mapped)).toBe('203.0.113.9');
    // Not an IPv6 address: kept as it is rather than merged with anything.
    expect(clientNetwork('1:2:3')).toBe('1:2:3');
  });

  it('key an account from a network, never from a single IPv6 address', () => {
    const meta = (ip: string) => ({ ip, userAgent: null });
    expect(rateLimitKeys.accountIp('Ada@Example.com', meta('2001:db8:1:2::7'))).toBe(rateLimitKeys.accountIp('ada@example.com', meta('2001:db8:1:2::8')));
    expect(rateLimitKeys.ip(meta('2001:db8:1:2::7'))).toBe(rateLimitKeys.ip(meta('2001:db8:1:2::9')));
  });
});
