import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseDlvVersion,
  parseGoEnvJson,
  parseGoMod,
  parseGoplsVersion,
  parseGoVersionM,
  parseGoVersionOutput,
} from '../../../src/core/facts/parsers';
import { runProcess } from '../../../src/core/probes/runProcess';
import { formatGoVersion } from '../../../src/core/facts/versions';
import * as pub from '../../fixtures/public-outputs';
import { testTools } from '../../helpers';

describe('parsers on outputs quoted in public reports', () => {
  it(`gopls text: trusts the module line (${pub.GOPLS_TEXT_HEADER_WRONG.provenance})`, () => {
    assert.deepEqual(parseGoplsVersion(pub.GOPLS_TEXT_HEADER_WRONG.text), { version: '0.6.1', format: 'text' });
  });
  it('gopls 0.4.1 build info without "v" in the header', () => {
    assert.equal(parseGoplsVersion(pub.GOPLS_041_BUILD_INFO.text)?.version, '0.4.1');
  });
  it('gopls -v version, indented as pasted', () => {
    assert.equal(parseGoplsVersion(pub.GOPLS_074_VERBOSE.text)?.version, '0.7.4');
  });
  it('a devel gopls with its go: line', () => {
    const v = parseGoplsVersion(pub.GOPLS_DEVEL_BUILD_INFO.text)!;
    assert.equal(v.devel, true);
    assert.equal(formatGoVersion(v.goVersion!), 'go1.21.3');
  });
  it('go version -m with tabs turned into spaces', () => {
    const info = parseGoVersionM(pub.GO_VERSION_M_SPACES.text)!;
    assert.equal(info.goVersionRaw, 'go1.16beta1');
    assert.equal(info.path, 'golang.org/x/tools/gopls');
    assert.equal(info.module, 'golang.org/x/tools/gopls');
    assert.equal(info.moduleVersion, 'v0.6.1');
  });
  it('go version on darwin/amd64', () => {
    const v = parseGoVersionOutput(pub.GO_VERSION_DARWIN_1144.text)!;
    assert.deepEqual([formatGoVersion(v.version), v.goos, v.goarch], ['go1.14.4', 'darwin', 'amd64']);
  });
  it('dlv version -v: only the Version: line is the version', () => {
    assert.deepEqual(parseDlvVersion(pub.DLV_170_VERBOSE.text), {
      version: '1.7.0',
      build: '$Id: e353a65161e6ed74952b96bbb62ebfc56090832b $',
    });
  });
});

describe('parsers on garbage', () => {
  const garbage = [
    '',
    '\u0000\u0001binary',
    'Version:',
    'go version',
    '{"Main": 3}',
    'not json {',
    'golang.org/x/tools/gopls',
    'x'.repeat(100_000),
  ];
  for (const text of garbage) {
    it(`returns undefined, never throws: ${JSON.stringify(text.slice(0, 20))}`, () => {
      assert.equal(parseDlvVersion(text), undefined);
      assert.equal(parseGoVersionOutput(text), undefined);
      assert.equal(parseGoplsVersion(text), undefined);
      assert.equal(parseGoVersionM(text), undefined);
      assert.deepEqual(parseGoMod(text), {});
      if (!text.startsWith('{"')) assert.equal(parseGoEnvJson(text), undefined);
    });
  }
  it('go env -json keeps only string values it knows', () => {
    assert.deepEqual(parseGoEnvJson('{"GOOS":"darwin","GOARCH":7,"EVIL":"x"}'), { GOOS: 'darwin' });
    assert.equal(parseGoEnvJson('[1,2]'), undefined);
  });
});

describe('go.mod and go.work', () => {
  it('reads module, go and toolchain, ignoring comments and blocks', () => {
    const facts = parseGoMod(`// comment go 1.1
module example.com/m // trailing

go 1.22.3

toolchain go1.23.4

require (
\tgolang.org/x/mod v0.20.0
)
`);
    assert.equal(facts.module, 'example.com/m');
    assert.equal(formatGoVersion(facts.go!), 'go1.22.3');
    assert.equal(formatGoVersion(facts.toolchain!), 'go1.23.4');
  });
  it('a go.work with use directives', () => {
    const facts = parseGoMod('go 1.23\n\nuse (\n\t./a\n\t./b\n)\n');
    assert.equal(facts.goRaw, '1.23');
  });
});

describe('parsers on live outputs of the real tools', () => {
  const tools = testTools();
  it('go version and go env -json of this machine', async () => {
    const v = await runProcess(['go', 'version']);
    const parsed = parseGoVersionOutput(v.stdout)!;
    assert.equal(parsed.goos, process.platform === 'darwin' ? 'darwin' : 'linux');
    const env = parseGoEnvJson((await runProcess(['go', 'env', '-json'])).stdout)!;
    assert.ok(env.GOROOT && env.GOVERSION);
    assert.equal(env.GOVERSION, formatGoVersion(parsed.version));
  });
  for (const [name, want] of [
    ['dlv-new', '1.27.2'],
    ['dlv-old', '1.21.2'],
    ['dlv-dwarf4', '1.26.3'],
  ] as const) {
    it(`dlv version of ${name}`, async () => {
      const probe = await runProcess([tools[name], 'version']);
      assert.equal(parseDlvVersion(probe.stdout)?.version, want);
    });
  }
  it('go version -m of a dlv built with go1.24.13', async () => {
    const info = parseGoVersionM((await runProcess(['go', 'version', '-m', tools['dlv-dwarf4']])).stdout)!;
    assert.equal(info.goVersionRaw, 'go1.24.13');
    assert.equal(info.path, 'github.com/go-delve/delve/cmd/dlv');
    assert.equal(info.moduleVersion, 'v1.26.3');
    assert.equal(info.settings.GOOS, process.platform === 'darwin' ? 'darwin' : 'linux');
  });
  it('gopls version -json and plain gopls version agree', async () => {
    const json = parseGoplsVersion((await runProcess([tools.gopls, 'version', '-json'])).stdout)!;
    const text = parseGoplsVersion((await runProcess([tools.gopls, 'version'])).stdout)!;
    assert.equal(json.format, 'json');
    assert.equal(json.version, '0.23.0');
    assert.equal(text.version, '0.23.0');
    assert.ok(json.goVersion);
  });
});
