import { runSpec, restartPolicies, type HostHandle, type RunSpec } from '../../../../../shared/contract';
import { splitCommand } from '../../../../../shared/command-line';
import { runChoicesToSpec, runCommand, type Command } from '../../../../../shared/podman-commands';

/** The Run form as the user fills it: text everywhere, turned into a RunSpec only on the way out. */
export interface RunForm {
  image: string;
  name: string;
  command: string;
  ports: { hostIp: string; hostPort: string; containerPort: string; protocol: 'tcp' | 'udp' }[];
  env: { key: string; value: string }[];
  /** A named volume (`source`), or a folder of this computer chosen in main's dialog (`folder`: its handle). */
  volumes: { source: string; folder?: HostHandle; target: string; readOnly: boolean }[];
  network: string;
  /** A pod to join (its network and published ports then apply). */
  pod: string;
  restartPolicy: (typeof restartPolicies)[number];
  restartRetries: string;
  autoRemove: boolean;
  start: boolean;
  /** More options (folded away at first). */
  entrypoint: string;
  workdir: string;
  user: string;
  hostname: string;
  /** With a unit: 512m, 1g, 1.5g. */
  memory: string;
  cpus: string;
  /** Separated by spaces or commas. */
  networkAliases: string;
  stopTimeout: string;
  labels: { key: string; value: string }[];
}

export const emptyForm = (image = ''): RunForm => ({
  image,
  name: '',
  command: '',
  ports: [],
  env: [],
  volumes: [],
  network: '',
  pod: '',
  restartPolicy: 'no',
  restartRetries: '',
  autoRemove: false,
  start: true,
  entrypoint: '',
  workdir: '',
  user: '',
  hostname: '',
  memory: '',
  cpus: '',
  networkAliases: '',
  stopTimeout: '',
  labels: [],
});

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** "512m", "1.5g", "64 MB", "1048576" → bytes; NaN when it is not a size. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg]?)(?:i?b)?$/i.exec(text.trim());
  if (!m) return NaN;
  return Math.round(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!);
}

const aliasesOf = (text: string) => text.split(/[\s,]+/).filter(Boolean);

const asNumber = (text: string) => (text.trim() === '' ? NaN : Number(text.trim()));

/**
 * The spec to send, or the problems by field path ("ports.0.hostPort"), using the contract's
 * own schema: what the form says inline is exactly what main would refuse.
 */
export function toRunSpec(form: RunForm): { spec: RunSpec | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  let command: string[] | undefined;
  if (form.command.trim()) {
    const split = splitCommand(form.command);
    if ('error' in split) errors.command = split.error;
    else command = split.argv;
  }
  let entrypoint: string[] | undefined;
  if (form.entrypoint.trim()) {
    const split = splitCommand(form.entrypoint);
    if ('error' in split) errors.entrypoint = split.error;
    else entrypoint = split.argv;
  }
  const input = {
    image: form.image.trim(),
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
    ...(command ? { command } : {}),
    ports: form.ports.map((p) => ({
      hostIp: p.hostIp.trim(),
      hostPort: p.hostPort.trim() === '' ? 0 : asNumber(p.hostPort),
      containerPort: asNumber(p.containerPort),
      protocol: p.protocol,
    })),
    env: form.env.filter((e) => e.key.trim() || e.value).map((e) => ({ key: e.key.trim(), value: e.value })),
    volumes: form.volumes.map((v) =>
      v.folder
        ? { folder: v.folder.handle, target: v.target.trim(), readOnly: v.readOnly }
        : { source: v.source.trim(), target: v.target.trim(), readOnly: v.readOnly },
    ),
    ...(form.network.trim() && !form.pod ? { network: form.network.trim() } : {}),
    ...(form.pod ? { pod: form.pod } : {}),
    restartPolicy: form.restartPolicy,
    ...(form.restartPolicy === 'on-failure' && form.restartRetries.trim()
      ? { restartRetries: asNumber(form.restartRetries) }
      : {}),
    autoRemove: form.autoRemove,
    start: form.start,
    ...(entrypoint ? { entrypoint } : {}),
    ...(form.workdir.trim() ? { workdir: form.workdir.trim() } : {}),
    ...(form.user.trim() ? { user: form.user.trim() } : {}),
    ...(form.hostname.trim() ? { hostname: form.hostname.trim() } : {}),
    ...(form.memory.trim() ? { memory: parseSize(form.memory) } : {}),
    ...(form.cpus.trim() ? { cpus: asNumber(form.cpus) } : {}),
    ...(form.networkAliases.trim() && !form.pod ? { networkAliases: aliasesOf(form.networkAliases) } : {}),
    ...(form.stopTimeout.trim() ? { stopTimeout: asNumber(form.stopTimeout) } : {}),
    labels: Object.fromEntries(form.labels.filter((l) => l.key.trim()).map((l) => [l.key.trim(), l.value])),
  };
  const parsed = runSpec.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      const message = issue.code === 'invalid_type' && /number/.test(issue.message) ? 'A number is required' : issue.message;
      if (!errors[path]) errors[path] = message;
    }
  }
  const seen = new Map<string, number>();
  form.ports.forEach((p, i) => {
    const key = `${p.hostIp.trim()}:${p.hostPort.trim()}/${p.protocol}`;
    if (!p.hostPort.trim() || p.hostPort.trim() === '0') return;
    if (seen.has(key)) errors[`ports.${i}.hostPort`] ??= 'This host port is already listed';
    seen.set(key, i);
  });
  if (form.memory.trim() && Number.isNaN(parseSize(form.memory))) errors.memory = 'A size such as 512m or 2g';
  if (form.networkAliases.trim() && !form.network.trim() && !form.pod) errors.networkAliases ??= 'Choose the network first';
  if (form.autoRemove && form.restartPolicy !== 'no')
    errors.restartPolicy ??= 'A container that removes itself cannot also restart';
  return { spec: Object.keys(errors).length === 0 ? input : null, errors };
}

/**
 * The command the form makes, as far as it is filled in: what is not valid yet is left out, so
 * the line grows as the user types. Null until there is an image.
 */
export function formCommand(form: RunForm): Command | null {
  const image = form.image.trim();
  if (!image) return null;
  const split = (text: string) => {
    const result = text.trim() ? splitCommand(text) : { argv: [] };
    return 'argv' in result ? result.argv : [];
  };
  const port = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN);
  const memory = parseSize(form.memory);
  const cpus = Number(form.cpus.trim());
  const stop = form.stopTimeout.trim() ? Number(form.stopTimeout.trim()) : NaN;
  const retries = Number(form.restartRetries.trim());
  return runCommand(
    runChoicesToSpec({
      image,
      ...(form.name.trim() ? { name: form.name.trim() } : {}),
      command: split(form.command),
      entrypoint: split(form.entrypoint),
      ports: form.ports.flatMap((p) => {
        const containerPort = port(p.containerPort);
        const hostPort = p.hostPort.trim() === '' ? 0 : port(p.hostPort);
        return Number.isNaN(containerPort) || Number.isNaN(hostPort)
          ? []
          : [{ hostIp: p.hostIp.trim(), hostPort, containerPort, protocol: p.protocol }];
      }),
      env: form.env.filter((e) => e.key.trim()).map((e) => ({ key: e.key.trim(), value: e.value })),
      volumes: form.volumes.flatMap((v): { source: string; target: string; readOnly: boolean; bind: boolean }[] =>
        !v.target.trim()
          ? []
          : v.folder
            ? [{ source: v.folder.name, target: v.target.trim(), readOnly: v.readOnly, bind: true }]
            : v.source.trim()
              ? [{ source: v.source.trim(), target: v.target.trim(), readOnly: v.readOnly, bind: false }]
              : [],
      ),
      ...(form.pod ? { pod: form.pod } : form.network.trim() ? { network: form.network.trim() } : {}),
      networkAliases: aliasesOf(form.networkAliases),
      restartPolicy: form.restartPolicy,
      ...(form.restartPolicy === 'on-failure' && retries > 0 ? { restartRetries: retries } : {}),
      autoRemove: form.autoRemove,
      ...(Number.isInteger(stop) && stop >= 0 ? { stopTimeout: stop } : {}),
      ...(form.workdir.trim() ? { workdir: form.workdir.trim() } : {}),
      ...(form.user.trim() ? { user: form.user.trim() } : {}),
      ...(form.hostname.trim() ? { hostname: form.hostname.trim() } : {}),
      ...(memory > 0 ? { memory } : {}),
      ...(cpus > 0 ? { cpus } : {}),
      labels: Object.fromEntries(form.labels.filter((l) => l.key.trim()).map((l) => [l.key.trim(), l.value])),
      start: form.start,
    }),
  );
}
