import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { podman, type PodmanInfo } from './podman';

export const GNU_IMAGE = 'localhost/poddesk-test/gnu:latest';

/** What the volume helper runs: its shell script's tools, `tar` for backups, `sleep` to stay up. */
const TOOLS = ['dash', 'find', 'head', 'mkdir', 'mv', 'readlink', 'realpath', 'rm', 'sleep', 'stat', 'tar'];

/**
 * An image with a GNU userland (dash, coreutils, findutils, GNU tar) instead of busybox, made
 * offline from this machine's own programs and the libraries they load: the helper script must
 * work on either.
 */
export async function buildGnuImage(info: Pick<PodmanInfo, 'args' | 'env' | 'dir'>, name = GNU_IMAGE): Promise<string> {
  const rootfs = join(info.dir, 'rootfs-gnu');
  await rm(rootfs, { recursive: true, force: true });
  await mkdir(join(rootfs, 'bin'), { recursive: true });
  await mkdir(join(rootfs, 'tmp'), { recursive: true });
  const libraries = new Set<string>();
  for (const tool of TOOLS) {
    const path = execFileSync('sh', ['-c', `command -v ${tool}`])
      .toString()
      .trim();
    await copyFile(path, join(rootfs, 'bin', tool));
    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" and "/lib64/ld-linux-x86-64.so.2 (0x…)"
    for (const line of execFileSync('ldd', [path]).toString().split('\n')) {
      const lib = /(\/\S+) \(0x/.exec(line)?.[1];
      if (lib) libraries.add(lib);
    }
  }
  for (const lib of libraries) {
    await mkdir(join(rootfs, dirname(lib)), { recursive: true });
    await copyFile(lib, join(rootfs, lib));
  }
  await symlink('dash', join(rootfs, 'bin', 'sh'));
  const tar = join(info.dir, 'rootfs-gnu.tar');
  execFileSync('tar', ['-C', rootfs, '-cf', tar, '.']);
  await podman(info, 'import', '--change', 'CMD ["/bin/sh"]', '--change', 'ENV PATH=/bin', tar, name);
  await rm(rootfs, { recursive: true, force: true });
  await rm(tar, { force: true });
  return name;
}
