import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchingPattern, moduleSettingsFindings } from '../../../src/core/install/moduleSettings';
import type { GoEnv } from '../../../src/core/facts/parsers';

const DEFAULTS: GoEnv = {
  GOPROXY: 'https://proxy.golang.org,direct',
  GOSUMDB: 'sum.golang.org',
  GOFLAGS: '',
  GOPRIVATE: '',
  GONOPROXY: '',
  GONOSUMDB: '',
  GOINSECURE: '',
};
const judge = (env: GoEnv) => moduleSettingsFindings({ ...DEFAULTS, ...env });
const one = (env: GoEnv) => {
  const findings = judge(env);
  assert.equal(findings.length, 1, JSON.stringify(findings));
  return findings[0]!;
};

describe('module settings for installing dlv', () => {
  it('the defaults, a corporate proxy list and file:// proxies pass', () => {
    assert.deepEqual(judge({}), []);
    assert.deepEqual(judge({ GOPROXY: 'https://athens.corp.example|https://proxy.golang.org,direct' }), []);
    assert.deepEqual(judge({ GOPROXY: 'proxy.golang.org,direct' }), [], 'https:// may be left out (golang/go#32191)');
    assert.deepEqual(judge({ GOPROXY: 'file:///srv/goproxy,off' }), []);
    assert.deepEqual(judge({ GOPROXY: 'http://localhost:3000' }), []);
    assert.deepEqual(judge({ GOPRIVATE: 'github.com/mycorp/*,gitlab.corp.example' }), []);
  });

  it('GOPROXY=off fails: go install always looks the module up', () => {
    const f = one({ GOPROXY: 'off' });
    assert.equal(f.severity, 'fail');
    assert.match(f.message, /no dlv or gopls can be installed/);
    assert.equal(f.fix, 'go env -w GOPROXY=https://proxy.golang.org,direct');
    assert.deepEqual(judge({ GOPROXY: 'https://proxy.golang.org,off' }), [], 'off after a proxy is a fallback, not a ban');
  });

  it('misspelled proxy lists fail with what the go command will do', () => {
    assert.match(one({ GOPROXY: 'htps://proxy.golang.org,direct' }).message, /scheme "htps".*accepts only https, http and file/);
    assert.match(one({ GOPROXY: 'https://proxy.golang.org,drect' }).message, /"drect" is neither.*did you mean "direct"\?/);
    assert.match(one({ GOPROXY: 'https//proxy.golang.org' }).message, /will try https:\/\/https\//);
    assert.equal(one({ GOPROXY: 'http://proxy.corp.example' }).severity, 'warn');
    assert.match(one({ GOPROXY: 'direct' }).message, /needs git and access to github\.com/);
  });

  it('GOFLAGS=-mod=vendor, GO111MODULE=off and GOSUMDB=off are explained', () => {
    assert.match(one({ GOFLAGS: '-mod=vendor' }).message, /cannot query module due to -mod=vendor/);
    assert.deepEqual(judge({ GOFLAGS: '-mod=mod -trimpath' }), []);
    assert.match(one({ GO111MODULE: 'off' }).message, /modules disabled by GO111MODULE=off/);
    assert.match(one({ GOSUMDB: 'off' }).message, /checksum verification/);
  });

  it('GOPRIVATE, GONOPROXY, GOINSECURE and GONOSUMDB patterns that cover Delve', () => {
    const privateAll = judge({ GOPRIVATE: '*' });
    assert.equal(privateAll.length, 1);
    assert.match(
      privateAll[0]!.message,
      /GOPRIVATE pattern "\*" covers github\.com\/go-delve\/delve: .*bypassing the proxy and the checksum database/,
    );
    assert.equal(privateAll[0]!.fix, 'go env -w GOPRIVATE=');
    assert.equal(one({ GOPRIVATE: 'github.com/mycorp,github.com/go-delve' }).fix, 'go env -w GOPRIVATE=github.com/mycorp');
    assert.match(one({ GONOPROXY: 'github.com/*' }).message, /GONOPROXY pattern "github\.com\/\*" covers/);
    assert.match(one({ GOINSECURE: 'github.com' }).message, /certificates are not checked/);
    assert.match(
      one({ GONOSUMDB: 'github.com/go-delve', GOPRIVATE: 'corp.example' }).message,
      /not checked against the public checksum database/,
    );
    assert.match(one({ GONOSUMDB: 'corp.example' }).message, /without GOPRIVATE/);
    assert.match(one({ GOPRIVATE: '*.org' }).message, /also matches the proxy host proxy\.golang\.org/);
  });

  it('pattern matching follows `go help private`: globs over leading path elements', () => {
    const delve = 'github.com/go-delve/delve';
    assert.equal(matchingPattern('github.com/go-delve', delve), 'github.com/go-delve');
    assert.equal(matchingPattern('github.com/go-delve/', delve), 'github.com/go-delve');
    assert.equal(matchingPattern('*.com', delve), '*.com');
    assert.equal(matchingPattern('github.com/go-*', delve), 'github.com/go-*');
    assert.equal(matchingPattern('git?ub.com/[a-h]o-delve', delve), 'git?ub.com/[a-h]o-delve');
    assert.equal(matchingPattern('github.com/go-delve/delve/cmd', delve), undefined, 'longer than the module path');
    assert.equal(matchingPattern('github.co', delve), undefined);
    assert.equal(matchingPattern('*', delve), '*');
    assert.equal(matchingPattern('github.com/[', delve), undefined, 'a malformed pattern matches nothing');
    assert.equal(matchingPattern(' , ,', delve), undefined);
  });
});
