import { buildFlagWords, splitLikeDelve, type ResolvedConfig } from './config';

/**
 * What a configuration makes run (or write) besides the go command, its own compiler and linker and
 * dlv, when Verify runs it: a launch.json is input, and these attributes let it start any program.
 * Verify runs such a configuration only when the user agrees (VS Code asks; the CLI needs
 * --allow-programs). Each entry is one line: the attribute and what it makes happen.
 */
export function programsRunBy(config: ResolvedConfig): string[] {
  const found: string[] = [];
  found.push(...fromGoFlags(buildFlagWords(config.buildFlags), 'buildFlags'));
  if (config.env.GOFLAGS) found.push(...fromGoFlags(config.env.GOFLAGS.split(/\s+/).filter(Boolean), 'env.GOFLAGS'));
  for (const name of ['CC', 'CXX', 'FC', 'PKG_CONFIG', 'GCCGO', 'AR'])
    if (config.env[name]) found.push(`env.${name}=${config.env[name]} runs that program when cgo builds`);
  const flags = config.dlvFlags;
  for (let i = 0; i < flags.length; i++) {
    const [name, inline] = splitFlag(flags[i]!);
    const value = () => inline ?? flags[i + 1] ?? '';
    if (name === '--init') found.push(`dlvFlags --init ${value()} runs that file's Delve commands`);
    else if (name === '--log-dest') found.push(`dlvFlags --log-dest ${value()} writes Delve's log to that file`);
    else if (name === '--backend' && /^rr\b/.test(value())) found.push('dlvFlags --backend=rr runs rr');
    else if (name === '--build-flags') found.push(...fromGoFlags(splitLikeDelve(value()), 'dlvFlags --build-flags'));
  }
  return found;
}

/** The go build flags that run another program. */
function fromGoFlags(words: readonly string[], where: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const [name, inline] = splitFlag(words[i]!, true);
    const value = () => inline ?? words[i + 1] ?? '';
    if (name === '-toolexec') found.push(`${where} -toolexec ${value()} runs that program for every compile and link step`);
    else if (name === '-exec') found.push(`${where} -exec ${value()} runs the built program through that one`);
    else if (name === '-compiler' && value() === 'gccgo') found.push(`${where} -compiler=gccgo runs gccgo`);
    else if (name === '-ldflags' && /(^|[\s'"])-?-extld[= ]/.test(value())) found.push(`${where} -ldflags -extld runs another linker`);
  }
  return found;
}

/** "-toolexec=x" → ["-toolexec", "x"]. The go command reads --flag as -flag; dlv's flags keep their two dashes. */
function splitFlag(word: string, goFlag = false): [string, string | undefined] {
  const eq = word.indexOf('=');
  const name = eq < 0 ? word : word.slice(0, eq);
  return [goFlag && name.startsWith('--') ? name.slice(1) : name, eq < 0 ? undefined : word.slice(eq + 1)];
}
