import { close, fstat, lstat, open, read, readdir, stat } from 'node:fs';
import { promisify } from 'node:util';

// The file system calls the start of every run makes (reading go.mod and the go env file), on the
// callback API: node:fs/promises is a module of its own that costs a run several milliseconds to load
// before its first probe can start.
export const statPath = promisify(stat);
export const lstatPath = promisify(lstat);
export const readdirPath = promisify(readdir);
export const openFd = promisify(open);
export const fstatFd = promisify(fstat);
export const closeFd = promisify(close);
export const readFd = (fd: number, buffer: Buffer, offset: number, length: number, position: number): Promise<number> =>
  new Promise((resolve, reject) => read(fd, buffer, offset, length, position, (err, n) => (err ? reject(err) : resolve(n))));
