import { close, fstat, open, read, readdir } from 'node:fs';
import { promisify } from 'node:util';

// The asynchronous file system calls (listing folders, reading binaries) on the callback API:
// node:fs/promises is a module of its own that costs a run several milliseconds to load before its
// first probe can start.
export const readdirPath = promisify(readdir);
export const openFd = promisify(open);
export const fstatFd = promisify(fstat);
export const closeFd = promisify(close);
export const readFd = (fd: number, buffer: Buffer, offset: number, length: number, position: number): Promise<number> =>
  new Promise((resolve, reject) => read(fd, buffer, offset, length, position, (err, n) => (err ? reject(err) : resolve(n))));
