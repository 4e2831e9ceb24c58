import { execFile } from 'node:child_process';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quotePosix } from '../../src/shared/podman-commands';
import { podmanEnv, type PodmanInfo } from './podman';

/**
 * A shell where `podman` is the real CLI pointed at the tests' private storage: a folder first
 * on PATH with a `podman` script that adds the storage flags. A command line PodDesk shows is
 * run there as the user would paste it — through `bash -c`, quotes, line continuations and all.
 */
export async function podmanShell(info: Pick<PodmanInfo, 'args' | 'env'>): Promise<{
  run(commandLine: string): Promise<string>;
  bin: string;
}> {
  const real = await new Promise<string>((resolve, reject) =>
    execFile('sh', ['-c', 'command -v podman'], (error, stdout) => (error ? reject(error) : resolve(stdout.trim()))),
  );
  const bin = await mkdtemp(join(tmpdir(), 'pdt-bin-'));
  const wrapper = join(bin, 'podman');
  await writeFile(wrapper, `#!/bin/sh\nexec ${quotePosix(real)} ${info.args.map(quotePosix).join(' ')} "$@"\n`);
  await chmod(wrapper, 0o755);
  const env = { ...podmanEnv(info), PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` };
  return {
    bin,
    run: (commandLine) =>
      new Promise((resolve, reject) =>
        execFile('bash', ['-c', commandLine], { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
          error ? reject(new Error(`${commandLine}\n→ ${stderr || error.message}`)) : resolve(stdout.trim()),
        ),
      ),
  };
}
