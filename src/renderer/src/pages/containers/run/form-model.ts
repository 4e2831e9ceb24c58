import { runSpec, restartPolicies, type HostHandle, type RunSpec } from '../../../../../shared/contract';
import { splitCommand } from '../../../../../shared/command-line';

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
});

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
  if (form.autoRemove && form.restartPolicy !== 'no')
    errors.restartPolicy ??= 'A container that removes itself cannot also restart';
  return { spec: Object.keys(errors).length === 0 ? input : null, errors };
}
