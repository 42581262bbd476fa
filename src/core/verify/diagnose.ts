import * as path from 'node:path';
import { explainDelveOutput } from '../knowledge/delveErrors';
import { cgoOffFinding } from './cgo';
import { buildTags, hasTrimpath } from './config';
import { checkConstraints, hostGoos, type ConstraintVerdict } from './constraints';
import { findModules, type BreakpointSpec } from './defaults';
import { buildSettings, type GoEnv } from './goEnv';
import { lineDirectiveFinding, portablePath } from './lineDirectives';
import { analysePaths, applySubstitute, type PathMapping, type SubstituteEntry } from './pathMapping';
import type { Host } from '../probes/host';
import type { VerifyBreakpoint, VerifyOptions, VerifyResult, VerifyStep } from './result';
import type { Session } from './session';

/** Why breakpoints did not bind or were not hit, and the configuration change that fixes it. */
export async function diagnose(
  result: VerifyResult,
  session: Session,
  specs: BreakpointSpec[],
  goEnv: GoEnv,
  options: VerifyOptions,
): Promise<void> {
  const t0 = performance.now();
  const { config } = session;
  const rows = result.breakpoints;
  const said = session.said();
  const trimpathFrom = hasTrimpath(config, goEnv.goflags);

  // Build constraints, with the configuration's tags and environment.
  let verdicts: ConstraintVerdict[] = [];
  if (config.mode === 'debug' || config.mode === 'test') {
    const unbound = rows.filter((b) => !b.verified).map((b) => b.file);
    const files = result.error ? specs.map((b) => b.file) : [...new Set(unbound)];
    if (files.length) {
      verdicts = await checkConstraints(files, {
        host: options.host,
        go: options.go,
        env: config.env,
        tags: buildTags(config, goEnv.goflags),
        goos: goEnv.goos,
        goarch: goEnv.goarch,
        ...(config.mode === 'test' ? { testDir: config.program!.endsWith('.go') ? path.dirname(config.program!) : config.program! } : {}),
      });
    }
  }

  // Path names: what the editor sends against what the debuggee holds.
  let mapping: PathMapping | undefined;
  // A local run where every breakpoint bound and the first was hit has no path to explain: not read.
  const passed = !result.error && rows.length > 0 && rows.every((b) => b.verified) && rows[0]!.hit;
  if (session.sources?.length && !(passed && config.mode !== 'remote' && !config.substitutePath.length)) {
    const files = [...new Set(rows.map((b) => b.file))];
    const realFiles = await Promise.all(files.map((f) => options.host.realpath(f)));
    const modules = await findModules(options.host, options.folder);
    mapping = await analysePaths({
      files,
      realFiles,
      sources: session.sources,
      existing: config.substitutePath,
      modules,
      goroot: goEnv.goroot,
      realpath: (p) => options.host.realpath(p),
      folder: options.folder,
      sameContent: async (local, remote) => {
        const [a, b] = await Promise.all([options.host.readText(local), options.host.readText(remote)]);
        return b === undefined ? undefined : a === b;
      },
    });
    result.pathMapping = {
      localRoot: mapping.localRoot,
      debuggeeRoot: mapping.debuggeeRoot,
      symlinks: mapping.symlinks,
      trimpath: mapping.trimpath,
      substitutePath: mapping.missing,
      unmatched: mapping.unmatched,
    };
    if (!mapping.localRoot) delete result.pathMapping.localRoot;
    if (!mapping.debuggeeRoot) delete result.pathMapping.debuggeeRoot;
  } else if (trimpathFrom) {
    result.pathMapping.trimpath = true;
  }

  const tagsToAdd = new Set<string>();
  const directiveEntries: SubstituteEntry[] = [];
  let goosFix: string | undefined;
  for (const [i, row] of rows.entries()) {
    if (row.verified && (row.hit || i > 0)) continue;
    const verdict = verdicts.find((v) => v.file === row.file && !v.included);
    if (verdict) {
      row.reason = verdict.reason === 'not-a-package' ? 'not-in-binary' : verdict.reason!;
      row.cause = verdict.cause!;
      verdict.tags?.forEach((t) => tagsToAdd.add(t));
      if (verdict.reason === 'goos-suffix' && verdict.goos === hostGoos(options.host.platform) && goEnv.goos !== verdict.goos)
        goosFix = verdict.goos;
      continue;
    }
    const sent = applySubstitute(row.file, config.substitutePath, 'toDebuggee');
    const mapped = mapping && applySubstitute(row.file, mapping.substitutePath, 'toDebuggee');
    if (mapping?.kind && mapped !== sent && session.sources?.includes(mapped!)) {
      row.reason = mapping.kind;
      row.cause = mapping.cause!;
      continue;
    }
    if (!row.verified) {
      const directive = await lineDirectiveFinding(options.host, options.folder, row, session.sources ?? [], config.substitutePath);
      if (directive) {
        row.reason = 'line-directive';
        row.cause = directive.cause;
        if (!result.diagnoses.some((d) => d.cause === directive.cause))
          result.diagnoses.push({ id: 'line-directive', cause: directive.cause, fix: directive.fix });
        if (directive.entry) directiveEntries.push(directive.entry);
        continue;
      }
      if (/binary is stripped/.test(row.message ?? '')) {
        row.reason = 'stripped';
        row.cause = 'The binary was linked without DWARF (-ldflags=-w or -s), so Delve has no line table to place breakpoints with.';
      } else if (/could not find statement/.test(row.message ?? '')) {
        row.reason = 'no-statement';
        row.cause = await noStatementCause(options.host, row);
      } else if (result.error) {
        row.reason = 'session-failed';
        row.cause = 'The debug session failed before the breakpoint could be set.';
      } else {
        row.reason = 'not-in-binary';
        row.cause = `${path.basename(row.file)} is not part of this program: its package is not imported by the program the configuration builds.`;
      }
    } else if (!row.hit && !result.error) {
      row.reason = 'not-hit';
      row.cause =
        config.mode === 'remote'
          ? "The breakpoint binds, but the program did not reach it in time: the server's program may already be past this line (start the server without --continue) or waits for input."
          : 'The breakpoint binds, but the program ended or ran out of time before it reached the line.';
    }
  }

  // A target another than this machine: the program cannot run here at all.
  const host = hostGoos(options.host.platform);
  if (result.error && config.mode !== 'remote' && goEnv.goos && goEnv.goos !== host) goosFix ??= host;

  if (mapping?.missing.length) {
    // Written with ${workspaceFolder} where it applies, so the configuration still works in another checkout.
    const portable = mapping.missing.map((e) => ({ from: portablePath(options.folder, e.from), to: e.to }));
    result.fixes.push({
      label: `Add substitutePath ${portable.map((e) => `${e.from} -> ${e.to}`).join(', ')} so the editor's file names match the debuggee's`,
      attribute: 'substitutePath',
      value: portable,
      automatic: true,
    });
    result.diagnoses.push({
      id: `path-${mapping.kind}`,
      cause: mapping.cause!,
      fix:
        `Add to the configuration: "substitutePath": ${JSON.stringify(portable)}` +
        (mapping.kind === 'trimpath' ? ` (or build without -trimpath: remove it from ${trimpathFrom ?? 'the build flags'})` : ''),
    });
  }
  const entries = directiveEntries.filter((e, i) => directiveEntries.findIndex((x) => x.from === e.from) === i);
  if (entries.length)
    result.fixes.push({
      label: `Add substitutePath ${entries.map((e) => `${e.from} -> ${e.to}`).join(', ')} for the file names //line directives give`,
      attribute: 'substitutePath',
      value: entries,
      automatic: true,
    });
  if (tagsToAdd.size) {
    const tags = [...tagsToAdd];
    result.fixes.push({
      label: `Build with -tags=${tags.join(',')} (add it to buildFlags)`,
      attribute: 'buildFlags',
      value: `-tags=${tags.join(',')}`,
      automatic: true,
    });
    const v = verdicts.find((x) => x.tags?.length);
    result.diagnoses.push({
      id: 'build-constraint',
      cause: v?.cause ?? 'A breakpoint file is excluded by a build constraint.',
      fix: `Add "-tags=${tags.join(',')}" to the configuration's buildFlags.`,
    });
  }
  if (goosFix) {
    const own = config.raw.env && typeof config.raw.env === 'object' && 'GOOS' in (config.raw.env as object);
    result.fixes.push({
      label: `Build for this machine: set env.GOOS to "${goosFix}" in the configuration`,
      attribute: 'env.GOOS',
      value: goosFix,
      automatic: !own,
    });
    result.diagnoses.push({
      id: 'goos',
      cause: `This configuration builds for GOOS=${goEnv.goos} (from ${own ? 'its env' : 'the environment: go env -w, the shell or go.toolsEnvVars'}), but Delve debugs programs for this machine (${host}); ${verdicts.find((v) => v.reason === 'goos-suffix')?.cause ?? 'files for this machine are left out and the program cannot run here.'}`,
      fix: own ? `Change "GOOS" in the configuration's env to "${goosFix}".` : `Add "GOOS": "${goosFix}" to the configuration's env.`,
    });
  }
  for (const v of verdicts.filter((x) => !x.included && (x.reason === 'test-package' || x.reason === 'test-file'))) {
    result.diagnoses.push({
      id: v.reason!,
      cause: v.cause!,
      fix:
        v.reason === 'test-package'
          ? `Debug that package's tests: a test configuration whose program is ${path.dirname(v.file)}.`
          : 'Use a configuration with "mode": "test" for breakpoints in _test.go files.',
    });
  }
  if (config.mode === 'exec' || config.mode === 'remote') {
    const optimised = /optimized function|debugging optimized/i.test(said);
    const stripped = rows.some((r) => r.reason === 'stripped') || /no debug info|binary is stripped/i.test(said);
    if (config.mode === 'exec') {
      const info = await buildSettings(options.host, options.go, config.program!);
      if (info && !/-N/.test(info['-gcflags'] ?? ''))
        result.diagnoses.push({
          id: 'optimised',
          cause: `${path.basename(config.program!)} was built with optimisations (no -gcflags=all="-N -l"): breakpoints may bind to other lines and variables read as "optimized away".`,
          fix: 'Build it with go build -gcflags=all="-N -l", or use mode "debug" and let Delve build it.',
        });
      if (info && /(^|\s)-[ws](\s|$)/.test(info['-ldflags'] ?? ''))
        result.diagnoses.push({
          id: 'stripped',
          cause: `${path.basename(config.program!)} was linked with ${info['-ldflags']}: without DWARF Delve cannot set breakpoints by line.`,
          fix: 'Build it without -ldflags=-w/-s for debugging.',
        });
    } else if (optimised) {
      result.diagnoses.push({
        id: 'optimised',
        cause: 'Delve says the program is optimised: breakpoints may bind to other lines and variables read as "optimized away".',
        fix: 'Start the server with dlv debug (it builds with -gcflags=all="-N -l"), or build with those flags before dlv exec.',
      });
    }
    if (stripped && !result.diagnoses.some((d) => d.id === 'stripped'))
      result.diagnoses.push({
        id: 'stripped',
        cause: 'The program has no DWARF line table (linked with -ldflags=-w or -s).',
        fix: 'Build it without -w/-s for debugging.',
      });
  }
  if (config.mode === 'remote' && /has exited with status/.test(result.error ?? '')) {
    result.diagnoses.push({
      id: 'remote-exited',
      cause:
        'The program under the headless server has already ended (an earlier session ran it to the end); dlv still listens, but there is nothing left to attach to.',
      fix: 'Restart the server (dlv debug|exec --headless --listen=127.0.0.1:PORT --accept-multiclient --api-version=2), then verify again.',
    });
  }
  // Said before Delve's own words: "undefined" is then explained by cgo being off, not by the code.
  const cgo = result.error ? await cgoOffFinding(options.host, options.go, config, goEnv, `${result.error}\n${said}`) : undefined;
  if (cgo) {
    result.diagnoses.push(cgo.diagnosis);
    if (cgo.fix) result.fixes.push(cgo.fix);
  }
  for (const m of explainDelveOutput(`${result.error ?? ''}\n${said}`)) {
    if (cgo && (m.generic || m.id === 'build-undefined' || m.id === 'build-constraints-exclude')) continue;
    // Delve's own words on missing DWARF say what our 'stripped' finding says: keep one, with its source.
    if (/debug-info|stripped/.test(m.id)) {
      const i = result.diagnoses.findIndex((d) => d.id === 'stripped');
      if (i >= 0) result.diagnoses.splice(i, 1);
    }
    if (!result.diagnoses.some((d) => d.id === m.id)) result.diagnoses.push({ id: m.id, cause: m.cause, fix: m.fix, source: m.source });
  }
  const step: VerifyStep = {
    id: 'diagnose',
    ok: true,
    durationMs: Math.round(performance.now() - t0),
    detail: `${result.diagnoses.length} finding(s), ${result.fixes.length} fix(es)`,
  };
  result.steps.push(step);
  options.onStep?.(step);
}

/** Delve finds no instructions at the line: say whether the line has no code, or code the program left out. */
async function noStatementCause(host: Host, row: VerifyBreakpoint): Promise<string> {
  const text = await host.readText(row.file);
  // A final newline ends the last line; it does not start another.
  const lines = text?.replace(/\n$/, '').split('\n');
  if (lines && row.line > lines.length) return `${path.basename(row.file)} has ${lines.length} lines: line ${row.line} is past its end.`;
  const line = lines?.[row.line - 1]?.trim() ?? '';
  const code = line !== '' && !line.startsWith('//') && !/^[{}()\s]*$/.test(line) && !/^(package|import)\b/.test(line);
  return code
    ? `Line ${row.line} has code, but the program holds no instructions for it: the function around it is never called (the linker leaves such functions out), or the compiler removed the line.`
    : `Line ${row.line} holds no statement Delve can stop at (a blank line, a comment, a declaration): move the breakpoint to a line with code.`;
}
