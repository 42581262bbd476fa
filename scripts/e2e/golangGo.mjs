// The real Go extension (golang.go) next to ours. Where it comes from, in this order:
//   1. $GOLANG_GO_VSIX (a .vsix file);
//   2. ../shared/vscode-extensions/golang.go-*.vsix beside the repository (built from golang/vscode-go's
//      source for machines without the marketplace; see the README there for provenance and license);
//   3. the marketplace by id (code-server's default gallery, open-vsx.org), for contributors with network.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { log, run } from './proc.mjs';

export const GOLANG_GO_ID = 'golang.go';

/**
 * golang.go's own settings that keep a fresh profile quiet (no welcome page, no survey, no tool
 * update prompts), as tried in ../shared/vscode-extensions/README.md.
 */
export const GOLANG_GO_SETTINGS = {
  'go.showWelcome': false,
  'go.survey.prompt': false,
  'go.toolsManagement.autoUpdate': false,
  'go.toolsManagement.checkForUpdates': 'local',
};

/** { kind: 'vsix', path } or { kind: 'marketplace', id }. */
export function findGolangGo(root) {
  const fromEnv = process.env.GOLANG_GO_VSIX;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`GOLANG_GO_VSIX=${fromEnv} does not exist`);
    return { kind: 'vsix', path: resolve(fromEnv), why: '$GOLANG_GO_VSIX' };
  }
  const shared = resolve(root, '..', 'shared', 'vscode-extensions');
  const found = existsSync(shared)
    ? readdirSync(shared)
        .filter((f) => /^golang\.go-.*\.vsix$/.test(f))
        .sort()
    : [];
  if (found.length) return { kind: 'vsix', path: join(shared, found[found.length - 1]), why: '../shared/vscode-extensions' };
  return { kind: 'marketplace', id: GOLANG_GO_ID, why: 'no vsix found: the marketplace' };
}

/** Installs golang.go into a profile's extensions folder before its server starts. */
export async function installGolangGo(codeServer, rd, env, source) {
  const args = ['--config', join(rd.xdg, 'config.yaml'), '--user-data-dir', rd.user, '--extensions-dir', rd.exts, '--install-extension'];
  if (source.kind === 'vsix') {
    await run(codeServer, [...args, source.path], { env, timeoutMs: 120_000 });
    return;
  }
  // The run's environment turns the gallery off (EXTENSIONS_GALLERY='{}'); only this install uses it.
  const withGallery = { ...env };
  delete withGallery.EXTENSIONS_GALLERY;
  log(`installing ${GOLANG_GO_ID} from the marketplace (needs network)`);
  try {
    await run(codeServer, [...args, GOLANG_GO_ID], { env: withGallery, timeoutMs: 300_000 });
  } catch (err) {
    // A clone without ../shared on a machine without network lands here: say what to give instead.
    const cause = /Error while installing extensions: (.*)/.exec(String(err.message))?.[1] ?? String(err.message).split('\n')[0];
    throw new Error(
      `${GOLANG_GO_ID} could not be installed from the marketplace (${cause}); set GOLANG_GO_VSIX to a ${GOLANG_GO_ID} .vsix, or put one in ../shared/vscode-extensions/ beside the repository`,
      { cause: err },
    );
  }
}
