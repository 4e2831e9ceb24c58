import { mkdir, mkdtemp, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { podman, type PodmanInfo } from './podman';

/**
 * Offline stand-ins for the images the built-in stacks use (no registry is reachable here),
 * built from the busybox test image. Each answers like the real thing where the app looks:
 *
 *   ollama   httpd on 11434 with /api/version and /api/tags, and an `ollama` command whose
 *            `ollama list` asks the server (so the stack's healthcheck means what it says)
 *   jupyter  httpd on 8888 with a /lab page
 *   python   a base with a no-op `pip`, so the Flask template's Containerfile builds offline
 *   webapp   a build context (not an image) serving /cgi-bin/ask, which fetches
 *            http://ollama:11434/api/version by service name over the stack network
 *
 * STOPSIGNAL SIGKILL: busybox as PID 1 ignores SIGTERM, and a stop must not wait 10 s.
 */
export const STACK_IMAGES = {
  ollama: 'localhost/poddesk-test/fake-ollama:latest',
  jupyter: 'localhost/poddesk-test/fake-jupyter:latest',
  python: 'localhost/poddesk-test/fake-python:latest',
};

async function exists(info: Pick<PodmanInfo, 'args' | 'env'>, ref: string): Promise<boolean> {
  return podman(info, 'image', 'exists', ref).then(
    () => true,
    () => false,
  );
}

async function build(info: PodmanInfo, tag: string, files: Record<string, string>, executable: string[] = []): Promise<void> {
  if (await exists(info, tag)) return;
  const dir = await mkdtemp(join(tmpdir(), 'pdt-img-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
    if (executable.includes(path)) await chmod(join(dir, path), 0o755);
  }
  await podman(info, 'build', '--format', 'docker', '-t', tag, dir);
}

export async function buildStackImages(info: PodmanInfo): Promise<void> {
  await build(
    info,
    STACK_IMAGES.ollama,
    {
      Containerfile: [
        `FROM ${info.busybox}`,
        'COPY www /www',
        'COPY ollama /bin/ollama',
        'STOPSIGNAL SIGKILL',
        'EXPOSE 11434',
        'CMD ["httpd", "-f", "-p", "11434", "-h", "/www"]',
        '',
      ].join('\n'),
      'www/index.html': 'Ollama is running',
      'www/api/version': '{"version":"0.0.0-offline"}',
      'www/api/tags': '{"models":[]}',
      ollama:
        '#!/bin/sh\n# `ollama list` asks the server, like the real one.\nwget -qO- http://127.0.0.1:11434/api/tags >/dev/null\n',
    },
    ['ollama'],
  );
  await build(info, STACK_IMAGES.jupyter, {
    Containerfile: [
      `FROM ${info.busybox}`,
      'COPY www /www',
      'STOPSIGNAL SIGKILL',
      'EXPOSE 8888',
      'CMD ["httpd", "-f", "-p", "8888", "-h", "/www"]',
      '',
    ].join('\n'),
    'www/index.html': 'Jupyter (offline stand-in)',
    'www/lab/index.html': '<title>JupyterLab</title><h1>JupyterLab (offline stand-in)</h1>',
  });
  await build(
    info,
    STACK_IMAGES.python,
    {
      Containerfile: [`FROM ${info.busybox}`, 'COPY pip /bin/pip', 'STOPSIGNAL SIGKILL', ''].join('\n'),
      pip: '#!/bin/sh\necho "pip (offline stand-in): $*"\n',
    },
    ['pip'],
  );
}

/**
 * A build context standing in for the Flask app: /cgi-bin/ask fetches Ollama by service name
 * (`OLLAMA_URL`, as the real app does), /healthz answers.
 */
export async function writeWebappContext(info: PodmanInfo, dir?: string): Promise<string> {
  const context = dir ?? (await mkdtemp(join(tmpdir(), 'pdt-webapp-')));
  const files: Record<string, string> = {
    Containerfile: [
      `ARG PYTHON_IMAGE=${info.busybox}`,
      'FROM ${PYTHON_IMAGE}',
      'COPY www /www',
      'RUN chmod +x /www/cgi-bin/ask',
      'STOPSIGNAL SIGKILL',
      'EXPOSE 5000',
      'CMD ["httpd", "-f", "-p", "5000", "-h", "/www"]',
      '',
    ].join('\n'),
    'www/index.html': '<h1>Chat with Ollama (offline stand-in)</h1>',
    'www/healthz': '{"ok":true}',
    'www/cgi-bin/ask':
      '#!/bin/sh\nprintf "Content-Type: application/json\\r\\n\\r\\n"\nwget -qO- "${OLLAMA_URL:-http://ollama:11434}/api/version" || echo "{\\"error\\":\\"unreachable\\"}"\n',
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(context, path, '..'), { recursive: true });
    await writeFile(join(context, path), content);
  }
  return context;
}

/** The variables that point a built-in stack at the offline images and at free ports. */
export function offlineVariables(ports: { ollama?: number; jupyter?: number; web?: number }, webappContext?: string) {
  return {
    OLLAMA_IMAGE: STACK_IMAGES.ollama,
    JUPYTER_IMAGE: STACK_IMAGES.jupyter,
    PYTHON_IMAGE: STACK_IMAGES.python,
    ...(ports.ollama ? { OLLAMA_PORT: String(ports.ollama) } : {}),
    ...(ports.jupyter ? { JUPYTER_PORT: String(ports.jupyter) } : {}),
    ...(ports.web ? { WEBAPP_PORT: String(ports.web) } : {}),
    ...(webappContext
      ? { WEBAPP_CONTEXT: webappContext, WEBAPP_IMAGE: `localhost/poddesk-test/webapp-${process.pid}:latest` }
      : {}),
  };
}
