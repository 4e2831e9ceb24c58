import type { FileSystem, RunResult, Runner } from '../../src/main/system/types';

/** A file system of given files and folders (paths → contents; folders → entries). */
export function fakeFs(files: Record<string, string> = {}, dirs: Record<string, string[]> = {}): FileSystem {
  return {
    exists: async (path) => path in files || path in dirs,
    readFile: async (path) => {
      if (!(path in files)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return Buffer.from(files[path]!);
    },
    readdir: async (path) => {
      if (!(path in dirs)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return dirs[path]!;
    },
  };
}

/** A runner that answers by command line ("podman machine list --format json" → result). */
export function fakeRunner(answers: Record<string, Partial<RunResult> | string>): Runner & { calls: string[] } {
  const calls: string[] = [];
  const run: Runner = async (file, args) => {
    const line = [file, ...args].join(' ');
    calls.push(line);
    const answer = Object.entries(answers).find(([key]) => line === key || line.endsWith(` ${key}`) || line.endsWith(key))?.[1];
    if (answer === undefined) return { code: null, stdout: '', stderr: `not found: ${file}` };
    if (typeof answer === 'string') return { code: 0, stdout: answer, stderr: '' };
    return { code: 0, stdout: '', stderr: '', ...answer };
  };
  return Object.assign(run, { calls });
}
