import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { resolvePublic } from '#adapters/callback-addresses';
import { CallbackRefused, callbackTarget, isPublicAddress } from '#domain/notification/callback-address';

const aws = { localHosts: [] };

/** The IPv4 ranges a callback must never reach (IANA special-purpose registry). */
const forbiddenV4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
].map((c) => ipaddr.IPv4.parseCIDR(c));

const forbiddenV6 = [
  '::/128',
  '::1/128',
  'fe80::/10',
  'fec0::/10',
  'fc00::/7',
  'ff00::/8',
  '2002::/16',
  '2001::/32',
];

const toInt = (a: ipaddr.IPv4) => a.octets.reduce((n, o) => n * 256 + o, 0);
const fromInt = (n: number) => new ipaddr.IPv4([24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256));

const inForbiddenV4 = fc
  .tuple(fc.constantFrom(...forbiddenV4), fc.nat())
  .map(([[net, bits], r]) => fromInt(toInt(net) + (r % 2 ** (32 - bits))));

/** Every way a URL can write one IPv4 address, IPv4 embedded in IPv6 included. */
const formsOf = (a: ipaddr.IPv4): string[] => {
  const [o1, o2, o3, o4] = a.octets as [number, number, number, number];
  const n = toInt(a);
  const hex = (x: number) => x.toString(16);
  return [
    a.toString(),
    String(n),
    `0x${hex(n)}`,
    a.octets.map((o) => `0${o.toString(8)}`).join('.'),
    `${o1}.${(o2 << 16) + (o3 << 8) + o4}`,
    `[::ffff:${a.toString()}]`,
    `[::ffff:${hex((o1 << 8) + o2)}:${hex((o3 << 8) + o4)}]`,
    `[0:0:0:0:0:ffff:${a.toString()}]`,
    `[64:ff9b::${a.toString()}]`,
    `[::${a.toString()}]`,
  ];
};

describe('callback addresses', () => {
  it('refuses every form of every address in a forbidden IPv4 range, at any path', () => {
    fc.assert(
      fc.property(inForbiddenV4, fc.webPath(), (address, path) => {
        for (const host of formsOf(address)) {
          expect(() => callbackTarget(`https://${host}${path}`, aws), host).toThrow(CallbackRefused);
        }
      }),
    );
  });

  it('refuses every address of the special IPv6 ranges, compressed or not', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...forbiddenV6),
        fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }),
        (cidr, parts) => {
          const [net, bits] = ipaddr.IPv6.parseCIDR(cidr);
          const words = net.parts.map((p, i) => {
            const keep = Math.max(0, Math.min(16, bits - i * 16));
            const mask = keep === 16 ? 0xffff : (0xffff << (16 - keep)) & 0xffff;
            return (p & mask) | (parts[i]! & ~mask & 0xffff);
          });
          const address = new ipaddr.IPv6(words);
          for (const form of [address.toString(), address.toNormalizedString()]) {
            expect(isPublicAddress(form), form).toBe(false);
            expect(() => callbackTarget(`https://[${form}]/`, aws), form).toThrow(CallbackRefused);
          }
        },
      ),
    );
  });

  it('accepts a global unicast address on 443 and refuses it on another port or over http', () => {
    const publicV4 = fc
      .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
      .map((o) => new ipaddr.IPv4(o))
      .filter((a) => !forbiddenV4.some((cidr) => a.match(cidr)) && a.range() === 'unicast');
    fc.assert(
      fc.property(publicV4, fc.integer({ min: 1, max: 65535 }), (address, port) => {
        expect(callbackTarget(`https://${address}/n`, aws)).toMatchObject({ literal: true, local: false });
        if (port !== 443)
          expect(() => callbackTarget(`https://${address}:${port}/n`, aws)).toThrow(CallbackRefused);
        expect(() => callbackTarget(`http://${address}/n`, aws)).toThrow(CallbackRefused);
      }),
    );
  });

  it('a name is public only if everything it resolves to is: localhost resolves to loopback', async () => {
    await expect(resolvePublic('localhost')).rejects.toThrow(CallbackRefused);
    await expect(resolvePublic('no-such-host.invalid')).rejects.toThrow(CallbackRefused);
  });
});
