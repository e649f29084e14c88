// The pure rules of webhooks: which addresses are refused, and the retry schedule's syntax.
import { describe, expect, it } from 'vitest';
import { addressRefusal, resolveTarget, urlProblem } from '../../src/core/webhooks/address.js';
import { DEFAULT_RETRY_SCHEDULE_MS, parseRetrySchedule } from '../../src/core/webhooks/settings.js';

describe('webhook addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.10.10', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
  ])('refuses %s (%s)', (address, kind) => {
    expect(addressRefusal(address)).toContain(kind);
  });

  it.each(['93.184.215.14', '8.8.8.8', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('takes the public %s', (address) => {
    expect(addressRefusal(address)).toBeNull();
  });

  it('takes only absolute http and https URLs', () => {
    expect(urlProblem('https://example.com/hook')).toBeNull();
    expect(urlProblem('ftp://example.com/')).toMatch(/http or https/);
    expect(urlProblem('file:///etc/passwd')).toMatch(/http or https/);
    expect(urlProblem('example.com/hook')).toMatch(/not an absolute URL/);
    expect(urlProblem(`https://example.com/${'a'.repeat(2000)}`)).toMatch(/longer than 2000/);
  });

  it('judges every address a name resolves to, names the setting, and lets WEBHOOK_ALLOW_PRIVATE_NETWORKS through', async () => {
    expect(await resolveTarget('http://localhost:9/hook', false)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^the host localhost resolves to .* loopback address, .*WEBHOOK_ALLOW_PRIVATE_NETWORKS=true$/),
    });
    expect(await resolveTarget('http://[::ffff:127.0.0.1]/', false)).toMatchObject({ ok: false });
    expect(await resolveTarget('http://127.0.0.1:9/hook', true)).toEqual({ ok: true, address: { address: '127.0.0.1', family: 4 } });
    expect(await resolveTarget('http://93.184.215.14/hook', false)).toEqual({ ok: true, address: { address: '93.184.215.14', family: 4 } });
    expect(await resolveTarget('http://no-such-host.invalid/', true)).toMatchObject({ ok: false, reason: /does not resolve/ });
  });
});

describe('WEBHOOK_RETRY_SCHEDULE', () => {
  it('reads delays with units', () => {
    expect(parseRetrySchedule('1s,2s,4s')).toEqual([1000, 2000, 4000]);
    expect(parseRetrySchedule(' 250ms , 5m,2h,1d ')).toEqual([250, 300_000, 7_200_000, 86_400_000]);
    expect(DEFAULT_RETRY_SCHEDULE_MS).toEqual([5000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
  });

  it.each(['', '1', '1x', '-1s', '1s,,2s', '8d', Array(21).fill('1s').join(',')])('refuses %j', (text) => {
    expect(parseRetrySchedule(text)).toBeNull();
  });
});

describe('webhook configuration', () => {
  it('reads WEBHOOK_RETRY_SCHEDULE and WEBHOOK_ALLOW_PRIVATE_NETWORKS, and refuses wrong values in one line', async () => {
    const { ConfigError, loadConfig } = await import('../../src/config.js');
    expect(loadConfig({}).webhooks).toMatchObject({ allowPrivateNetworks: false, retryScheduleMs: DEFAULT_RETRY_SCHEDULE_MS });
    expect(loadConfig({ WEBHOOK_RETRY_SCHEDULE: '1s,2s,4s', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }).webhooks).toMatchObject({
      allowPrivateNetworks: true,
      retryScheduleMs: [1000, 2000, 4000],
    });
    expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE: 'soon' })).toThrow(ConfigError);
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'yes' })).toThrow(/WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false/);
  });

  it('makes 64 attempts at once unless WEBHOOK_CONCURRENCY says otherwise (1 to 1000)', async () => {
    const { ConfigError, loadConfig } = await import('../../src/config.js');
    expect(loadConfig({}).webhooks.concurrency).toBe(64);
    expect(loadConfig({ WEBHOOK_CONCURRENCY: '8' }).webhooks.concurrency).toBe(8);
    expect(() => loadConfig({ WEBHOOK_CONCURRENCY: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ WEBHOOK_CONCURRENCY: 'many' })).toThrow(/WEBHOOK_CONCURRENCY/);
  });
});
