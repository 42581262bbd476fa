import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dapListenAddress, loopbackAddress } from '../../../src/core/dap/loopback';

describe('loopback means loopback: decided from the text, once, as the address to connect to', () => {
  it('every spelling of this machine', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', '127.0.0.1'],
      ['127.1', '127.0.0.1'],
      ['0x7f.1', '127.0.0.1'],
      ['0177.0.0.1', '127.0.0.1'],
      ['2130706433', '127.0.0.1'],
      ['127.3.4.5', '127.3.4.5'],
      ['localhost', '127.0.0.1'],
      ['localhost.', '127.0.0.1'],
      ['LOCALHOST', '127.0.0.1'],
      ['::1', '::1'],
      ['[::1]', '::1'],
      ['[::ffff:127.0.0.1]', '127.0.0.1'],
      ['::ffff:7f00:1', '127.0.0.1'],
    ];
    for (const [host, address] of cases) assert.equal(loopbackAddress(host), address, host);
  });

  it('everything else is refused before any connection or lookup: all interfaces, other addresses, names', () => {
    for (const host of [
      '0.0.0.0',
      '0',
      '::',
      '10.0.0.1',
      '192.168.1.1',
      '128.0.0.1',
      '::ffff:10.0.0.1',
      'localhost.example.com',
      'my-laptop',
      '127.0.0.1.example.com',
      '127.256.0.1',
      '127.0.0.1 ',
      '',
      '0x7f.0x1000000',
    ])
      assert.equal(loopbackAddress(host), host === '127.0.0.1 ' ? '127.0.0.1' : undefined, JSON.stringify(host));
  });
});

describe('dapListenAddress: where a dlv dap says it listens, loopback only', () => {
  it('reads IPv4, [::1] and localhost; refuses other hosts and names without looking them up', () => {
    assert.deepEqual(dapListenAddress('DAP server listening at: 127.0.0.1:40123'), { address: '127.0.0.1', port: 40123 });
    assert.deepEqual(dapListenAddress('DAP server listening at: [::1]:40123\r'), { address: '::1', port: 40123 });
    assert.deepEqual(dapListenAddress('DAP server listening at: localhost:2345'), { address: '127.0.0.1', port: 2345 });
    assert.match(String(dapListenAddress('DAP server listening at: 192.0.2.1:2345')), /not this machine's loopback; not connecting there$/);
    assert.match(String(dapListenAddress('DAP server listening at: 0.0.0.0:2345')), /not this machine's loopback/);
    assert.match(String(dapListenAddress('DAP server listening at: gdd.invalid:2345')), /not this machine's loopback/);
    assert.match(String(dapListenAddress('DAP server listening at: 127.0.0.1:99999')), /^cannot read the address/);
    assert.match(String(dapListenAddress('DAP server listening at: somewhere')), /^cannot read the address/);
  });
});

describe('lint and verify use the same rule', () => {
  it('lint: 0x7f.1 and [::ffff:127.0.0.1] are loopback; 0.0.0.0 and a name are not', async () => {
    const { lintLaunchJson } = await import('../../../src/core/launch/lint');
    const findings = async (host: string) =>
      (
        await lintLaunchJson(
          JSON.stringify({
            version: '0.2.0',
            configurations: [{ name: 'r', type: 'go', request: 'attach', mode: 'remote', host, port: 1 }],
          }),
          { file: 'launch.json', reachable: async () => true },
        )
      ).map((f) => f.rule);
    assert.ok(!(await findings('0x7f.1')).includes('non-loopback'));
    assert.ok(!(await findings('[::ffff:127.0.0.1]')).includes('non-loopback'));
    assert.ok((await findings('0.0.0.0')).includes('non-loopback'));
    assert.ok((await findings('devbox.internal')).includes('non-loopback'));
  });
});
