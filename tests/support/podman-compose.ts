import { execFile } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { podmanEnv, type PodmanInfo } from './podman';

/**
 * The real podman-compose (Debian's package) against the test Podman: it runs the podman CLI,
 * so it is given a podman that carries the private storage's global flags.
 */
async function wrapper(info: PodmanInfo): Promise<string> {
  const path = join(info.dir, 'podman-for-compose');
  const quoted = info.args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  await writeFile(path, `#!/bin/sh\nexec podman ${quoted} "$@"\n`);
  await chmod(path, 0o755);
  return path;
}

/**
 * `podman-compose -p <project> -f <folder>/compose.yaml [-f <folder>/<override>…] <args>`;
 * rejects with its output.
 */
export async function podmanCompose(
  info: PodmanInfo,
  folder: string,
  project: string,
  args: string[],
  env: Record<string, string> = {},
  overrides: string[] = [],
): Promise<string> {
  const podmanPath = await wrapper(info);
  const argv = [
    '--podman-path',
    podmanPath,
    '-p',
    project,
    ...['compose.yaml', ...overrides].flatMap((f) => ['-f', join(folder, f)]),
    ...args,
  ];
  return new Promise((resolve, reject) =>
    execFile(
      'podman-compose',
      argv,
      { cwd: folder, env: { ...podmanEnv(info), ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`podman-compose ${args.join(' ')}: ${stderr || error.message}\n${stdout}`));
        else resolve(`${stdout}\n${stderr}`);
      },
    ),
  );
}
