import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import dlvFlagData from '../../../src/core/knowledge/dlvFlags.json';
import { lintLaunchJson } from '../../../src/core/launch/lint';
import { applyTextEdits } from '../../../src/core/launch/lintEdits';
import { runProcess } from '../../../src/core/probes/runProcess';
import { launchWith } from '../../fixtures/launch-json';
import { testTools } from '../../helpers';

const lint = (config: string, dlvVersion?: string) =>
  lintLaunchJson(launchWith(config), { file: 'launch.json', ...(dlvVersion ? { dlvVersion } : {}) });

describe('lint looks inside object attributes', () => {
  it('dlvLoadConfig: an invented field ("intelOptimized", from a widely shared blog post) and a typo, with "did you mean"', async () => {
    const findings = await lint(`      "debugAdapter": "legacy",
      "dlvLoadConfig": { "followPointers": true, "intelOptimized": true, "maxStringLenght": 400 }`);
    const inside = findings.filter((f) => f.rule === 'unknown-load-config');
    assert.equal(inside.length, 2);
    assert.match(inside[0]!.message, /dlvLoadConfig has no field "intelOptimized" .*; it is ignored\./);
    assert.match(inside[1]!.message, /"maxStringLenght".*did you mean "maxStringLen"\?/);
    assert.equal(launchWith('').length > 0, true);
    assert.ok(inside.every((f) => f.line === 11));
  });

  it('substitutePath: from/to strings, "from" absolute (variables allowed), "to" may be a module path or "", no duplicates', async () => {
    const findings = await lint(`      "substitutePath": [
        { "from": "\${workspaceFolder}", "to": "example.com/app" },
        { "from": "src/app", "to": "/go/src/app" },
        { "from": "/Users/me/go/pkg/mod", "to": "" },
        { "from": "\${workspaceFolder}", "to": "/app" },
        { "form": "/a", "to": "/b" },
        { "from": "/c", "to": 7 }
      ]`);
    const messages = findings.filter((f) => f.rule === 'substitute-path').map((f) => f.message);
    assert.equal(messages.length, 5, messages.join('\n'));
    assert.match(messages[0]!, /entry 2 "from": "src\/app" is not an absolute path/);
    assert.match(messages[1]!, /entry 4 repeats "from": "\$\{workspaceFolder\}" of entry 1/);
    assert.match(messages[2]!, /entry 5 has "form".*did you mean "from"\?/);
    assert.match(messages[3]!, /entry 5 needs "from" as a string/);
    assert.match(messages[4]!, /entry 6 needs "to" as a string/);
  });

  it('env: values must be strings (null unsets); numbers and booleans get a quoting fix', async () => {
    const text = launchWith(`      "env": { "PORT": 8080, "DEBUG": true, "HOME": null, "NAME": "x", "LIST": ["a"] }`);
    const findings = (await lintLaunchJson(text, { file: 'launch.json' })).filter((f) => f.rule === 'env-value');
    assert.deepEqual(
      findings.map((f) => /env "(\w+)"/.exec(f.message)![1]),
      ['PORT', 'DEBUG', 'LIST'],
    );
    const fixed = applyTextEdits(
      text,
      findings.flatMap((f) => f.fix?.edits ?? []),
    );
    assert.match(fixed, /"env": \{ "PORT": "8080", "DEBUG": "true", "HOME": null, "NAME": "x", "LIST": \["a"\] \}/);
    assert.equal((await lintLaunchJson(fixed, { file: 'launch.json' })).filter((f) => f.rule === 'env-value').length, 1);
  });

  it('dlvFlags: flags dlv dap does not have, with "did you mean"; known ones and their values pass', async () => {
    const findings = (
      await lint(
        `      "dlvFlags": ["--check-go-version=false", "--log-ouput", "rpc", "-r", "stdin:/dev/null", "--intel-optimized"]`,
        '1.27.2',
      )
    ).filter((f) => f.rule === 'dlvflags-unknown');
    assert.equal(findings.length, 2);
    assert.match(findings[0]!.message, /--log-ouput, which dlv dap does not accept .*did you mean --log-output\?/);
    assert.match(findings[1]!.message, /--intel-optimized, which dlv dap does not accept/);
  });

  it('the flag table matches the real dlv: dlv dap accepts every flag in it and refuses the ones lint flags', async () => {
    // `--help` after the flag: dlv parses the flags, then prints its help instead of starting a server.
    const dlv = testTools()['dlv-new'];
    const accepts = async (flag: string) => {
      const p = await runProcess([dlv, 'dap', `${flag}=1`, '--help'], { timeoutMs: 30_000 });
      return !/unknown (shorthand )?flag/.test(p.stdout + p.stderr);
    };
    for (const f of dlvFlagData.flags) assert.ok(await accepts(`--${f.name}`), f.name);
    assert.equal(await accepts('--log-ouput'), false);
    assert.equal(await accepts('--intel-optimized'), false);
  });
});
