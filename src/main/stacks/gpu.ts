import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * GPUs on the engine's machine. Podman hands a GPU to a container as a CDI device
 * (vendor.com/class=name) defined by a specification file in /etc/cdi or /var/run/cdi — for
 * NVIDIA, the one `nvidia-ctk cdi generate` writes — and AMD GPUs as the /dev/kfd and /dev/dri
 * device files (with a ROCm image). Everything here reads files through `fs`, so it is tested
 * with a fake file system; the app passes the real one for a local engine only (a remote
 * engine's or a Podman machine's files are not this computer's).
 */
export interface GpuFs {
  readDir(path: string): Promise<string[]>;
  readText(path: string): Promise<string>;
  exists(path: string): Promise<boolean>;
}

export const localGpuFs: GpuFs = {
  readDir: (path) => readdir(path).catch(() => []),
  readText: (path) => readFile(path, 'utf8'),
  exists: (path) =>
    stat(path).then(
      () => true,
      () => false,
    ),
};

/** Where Podman 4.3 reads CDI specifications (fixed: its containers.conf cannot move them). */
export const CDI_DIRS = ['/etc/cdi', '/var/run/cdi'];

/** Every CDI device the specification files define, as vendor.com/class=name. */
export async function readCdiDevices(fs: GpuFs, dirs: string[] = CDI_DIRS): Promise<string[]> {
  const out = new Set<string>();
  for (const dir of dirs) {
    for (const name of (await fs.readDir(dir)).sort()) {
      if (!/\.(ya?ml|json)$/.test(name)) continue;
      try {
        const spec = parseYaml(await fs.readText(join(dir, name))) as { kind?: unknown; devices?: { name?: unknown }[] } | null;
        if (typeof spec?.kind !== 'string' || !Array.isArray(spec.devices)) continue;
        for (const d of spec.devices) if (typeof d?.name === 'string') out.add(`${spec.kind}=${d.name}`);
      } catch {
        // A file that does not parse defines nothing (Podman skips it too).
      }
    }
  }
  return [...out];
}

export interface GpuFacts {
  nvidia: { present: boolean; cdi: boolean };
  amd: { present: boolean };
}

/**
 * What GPUs this machine has: NVIDIA when its driver is loaded (or, under WSL, the GPU bridge
 * /dev/dxg is there with NVIDIA's libraries), AMD when /dev/kfd (ROCm's compute device) is.
 */
export async function detectGpus(fs: GpuFs, cdiDevices?: string[]): Promise<GpuFacts> {
  const devices = cdiDevices ?? (await readCdiDevices(fs));
  const nvidiaDriver =
    (await fs.exists('/proc/driver/nvidia/version')) ||
    (await fs.exists('/dev/nvidia0')) ||
    ((await fs.exists('/dev/dxg')) && (await fs.exists('/usr/lib/wsl/lib/libcuda.so.1')));
  const nvidiaCdi = devices.some((d) => d.startsWith('nvidia.com/gpu='));
  return {
    nvidia: { present: nvidiaDriver || nvidiaCdi, cdi: nvidiaCdi },
    amd: { present: (await fs.exists('/dev/kfd')) && (await fs.exists('/dev/dri')) },
  };
}

export const NVIDIA_CDI_HELP =
  'Install the NVIDIA Container Toolkit, then generate its CDI specification: ' +
  '`sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml` ' +
  '(on Windows and macOS, inside the Podman machine: `podman machine ssh`). Check it with `nvidia-ctk cdi list`.';

/** Why a service's CDI devices are not there, and what to do about it. */
export function cdiAdvice(service: string, missing: string[], defined: string[]): string {
  const nvidia = missing.filter((d) => d.startsWith('nvidia.com/gpu='));
  if (nvidia.length > 0) {
    const some = defined.filter((d) => d.startsWith('nvidia.com/gpu='));
    return some.length === 0
      ? `Service "${service}" asks for NVIDIA GPUs (${nvidia.join(', ')}), but this computer has no NVIDIA CDI specification. ${NVIDIA_CDI_HELP}`
      : `Service "${service}" asks for ${nvidia.join(', ')}, which the NVIDIA CDI specification does not define (it has ${some.join(', ')}). ` +
          'Regenerate it after a driver or GPU change: `sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml`.';
  }
  return `Service "${service}" asks for the CDI device${missing.length === 1 ? '' : 's'} ${missing.join(', ')}, which no specification in ${CDI_DIRS.join(' or ')} defines.`;
}
