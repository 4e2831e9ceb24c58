import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { podman, type PodmanInfo } from './podman';

export const BARE_IMAGE = 'localhost/poddesk-test/bare:latest';

/**
 * An image with a single static binary and nothing else: busybox installed as /bin/httpd only.
 * It serves HTTP (port 8080 by default) but has no shell, no nc, no nslookup, no wget: the
 * network doctor must check from a helper container there, as with a distroless image.
 */
export async function buildBareImage(info: Pick<PodmanInfo, 'args' | 'env' | 'dir'>, name = BARE_IMAGE): Promise<string> {
  const exists = await podman(info, 'image', 'exists', name).then(
    () => true,
    () => false,
  );
  if (exists) return name;
  const rootfs = join(info.dir, 'rootfs-bare');
  await rm(rootfs, { recursive: true, force: true });
  await mkdir(join(rootfs, 'bin'), { recursive: true });
  await mkdir(join(rootfs, 'www'), { recursive: true });
  // Named httpd, busybox runs its httpd applet: the one program of this image.
  await copyFile('/bin/busybox', join(rootfs, 'bin', 'httpd'));
  await writeFile(join(rootfs, 'www', 'index.html'), '<h1>hello from a bare image</h1>\n');
  const tar = join(info.dir, 'rootfs-bare.tar');
  execFileSync('tar', ['-C', rootfs, '-cf', tar, '.']);
  await podman(info, 'import', '--change', 'CMD ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"]', tar, name);
  await rm(rootfs, { recursive: true, force: true });
  await rm(tar, { force: true });
  return name;
}
