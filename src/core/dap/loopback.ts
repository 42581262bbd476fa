import { connect } from 'node:net';

/**
 * The loopback address a host name or literal stands for, decided once from its text: without a
 * name lookup (a resolver could be told anything, and a query leaves the machine), so the only name
 * is `localhost`. IPv4 literals are read as inet_aton reads them, which is how connect() would:
 * `127.1`, `0x7f.1`, `017700000001`. Undefined for anything not on this machine's loopback,
 * `0.0.0.0` included (it means "every interface" to a server). Connect to the answer, not the text.
 */
export function loopbackAddress(host: string): string | undefined {
  const text = host
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  if (text === 'localhost' || text === 'localhost.') return '127.0.0.1';
  if (text === '::1' || text === '0:0:0:0:0:0:0:1') return '::1';
  const mapped = /^(?:0{0,4}:){0,4}:?(?:0{0,4}:)?ffff:(.+)$/.exec(text)?.[1];
  if (mapped !== undefined) {
    const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(mapped);
    const v4 = hex ? ipv4Of(((parseInt(hex[1]!, 16) << 16) | parseInt(hex[2]!, 16)) >>> 0) : mapped;
    return loopbackV4(v4);
  }
  return loopbackV4(text);
}

/** True when `host` names this machine's loopback (see loopbackAddress). */
export const isLoopbackHost = (host: string): boolean => loopbackAddress(host) !== undefined;

function loopbackV4(text: string): string | undefined {
  const value = parseInetAton(text);
  return value !== undefined && value >>> 24 === 127 ? ipv4Of(value) : undefined;
}

/** inet_aton: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last part fills the rest. */
function parseInetAton(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    const m = /^(0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)$/.exec(part);
    if (!m) return undefined;
    const n = part.startsWith('0x') ? parseInt(part, 16) : part.length > 1 && part.startsWith('0') ? parseInt(part, 8) : parseInt(part, 10);
    if (!Number.isSafeInteger(n)) return undefined;
    numbers.push(n);
  }
  const last = numbers.pop()!;
  if (numbers.some((n) => n > 255)) return undefined;
  const room = 2 ** (8 * (4 - numbers.length));
  if (last >= room) return undefined;
  return numbers.reduce((acc, n, i) => acc + n * 2 ** (8 * (3 - i)), 0) + last;
}

function ipv4Of(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/**
 * Where a `dlv dap` says it listens ("DAP server listening at: 127.0.0.1:40123", "[::1]:40123"),
 * as the loopback address to connect to; a string saying why not when the line names no address or
 * one beyond this machine (a dlv that is not what it claims must not make us connect elsewhere).
 */
export function dapListenAddress(readyLine: string): { address: string; port: number } | string {
  const m = /listening at: *\[?([^\]\s]+?)\]?:(\d+)\s*$/.exec(readyLine);
  const port = Number(m?.[2]);
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535) return `cannot read the address in "${readyLine.trim().slice(0, 200)}"`;
  const address = loopbackAddress(m[1]!);
  if (!address) return `dlv says it listens at ${m[1]!.slice(0, 200)}:${port}, which is not this machine's loopback; not connecting there`;
  return { address, port };
}

/** Whether something accepts a TCP connection at `address`:`port` within `timeoutMs` (closed again at once). */
export function acceptsConnection(address: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
