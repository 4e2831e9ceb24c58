import { execFile } from 'node:child_process';
import { access, readFile, readdir } from 'node:fs/promises';
import type { FileSystem, Runner } from './types';

export const nodeFileSystem: FileSystem = {
  exists: (path) =>
    access(path).then(
      () => true,
      () => false,
    ),
  readFile: (path) => readFile(path),
  readdir: (path) => readdir(path),
};

/** Runs a program without a shell; never rejects, so callers read `code` instead of catching. */
export const nodeRunner: Runner = (file, args, options = {}) =>
  new Promise((resolve) => {
    execFile(
      file,
      [...args],
      { timeout: options.timeoutMs ?? 15_000, windowsHide: true, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout, stderr });
        const code = typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout: stdout ?? '', stderr: stderr || error.message });
      },
    );
  });
