import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { podman, type PodmanInfo } from './podman';

/** "ollama" in its name, so the app finds it among the running containers as it finds the real one. */
export const OLLAMA_SERVER_IMAGE = 'localhost/poddesk-test/ollama-server:latest';

/**
 * An image that runs the project's API-faithful Ollama server (tests/fixtures/ollama-server) on
 * port 11434, where the real image runs Ollama: the Ollama stack launched with it answers
 * /api/tags, /api/chat, /api/pull… as the real one does. Made offline: the server bundled into
 * one file, this machine's node and the libraries it loads, on the busybox test image (whose
 * wget stands in for `ollama list`, the stack's healthcheck).
 */
export async function buildOllamaServerImage(info: PodmanInfo, name = OLLAMA_SERVER_IMAGE): Promise<string> {
  const built = await podman(info, 'image', 'exists', name).then(
    () => true,
    () => false,
  );
  if (built) return name;
  const context = await mkdtemp(join(tmpdir(), 'pdt-ollama-image-'));
  try {
    const rootfs = join(context, 'rootfs');
    await build({
      entryPoints: [join(import.meta.dirname, '../fixtures/ollama-server/container-main.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: join(rootfs, 'srv/ollama-server.js'),
      logLevel: 'silent',
    });
    const node = await realpath(process.execPath);
    await mkdir(join(rootfs, 'usr/bin'), { recursive: true });
    await copyFile(node, join(rootfs, 'usr/bin/node'));
    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" and "/lib64/ld-linux-x86-64.so.2 (0x…)"
    for (const line of execFileSync('ldd', [node]).toString().split('\n')) {
      const lib = /(\/\S+) \(0x/.exec(line)?.[1];
      if (!lib) continue;
      await mkdir(join(rootfs, dirname(lib)), { recursive: true });
      await copyFile(lib, join(rootfs, lib));
    }
    await mkdir(join(rootfs, 'bin'), { recursive: true });
    await writeFile(
      join(rootfs, 'bin/ollama'),
      '#!/bin/sh\n# `ollama list` asks the server, like the real one.\nwget -qO- http://127.0.0.1:11434/api/tags >/dev/null\n',
    );
    await chmod(join(rootfs, 'bin/ollama'), 0o755);
    await writeFile(
      join(context, 'Containerfile'),
      [
        `FROM ${info.busybox}`,
        'COPY rootfs/ /',
        'EXPOSE 11434',
        'STOPSIGNAL SIGKILL',
        'CMD ["/usr/bin/node", "/srv/ollama-server.js"]',
        '',
      ].join('\n'),
    );
    await podman(info, 'build', '--format', 'docker', '-t', name, context);
    return name;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}
