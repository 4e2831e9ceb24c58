import { z } from 'zod';

/**
 * The Compose keys PodDesk understands, as zod schemas of the file after interpolation (and after
 * several files are merged). Values that Compose casts from strings (a port or a retry count
 * written as "${PORT:-8888}") are cast here too. Anything not declared here is reported by
 * `reportUnknownKeys` (refused, or warned about with what happens instead), never dropped in
 * silence.
 */

/** A number, or a string holding one (interpolated values are strings). */
const int = (what: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z.number({ error: `${what} must be a whole number` }).int({ error: `${what} must be a whole number` }),
  );

const num = (what: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v),
    z.number({ error: `${what} must be a number` }),
  );

const bool = (what: string) =>
  z.preprocess(
    (v) => (v === 'true' || v === 'True' ? true : v === 'false' || v === 'False' ? false : v),
    z.boolean({ error: `${what} must be true or false` }),
  );

const str = (what: string) => z.string({ error: `${what} must be a string` });
const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const stringOrList = (what: string) =>
  z.union([z.string(), z.array(scalar)], { error: `${what} must be a string or a list of strings` });

const list = (what: string) => z.array(scalar, { error: `${what} must be a list of strings` });

/** `KEY=VALUE` list or mapping; a null value means "take it from the environment". */
const listOrDict = (what: string) =>
  z.union([z.array(scalar), z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))], {
    error: `${what} must be a list of KEY=VALUE strings or a mapping`,
  });

const duration = (what: string) =>
  z.union([z.string(), z.number()], { error: `${what} must be a duration such as 10s, 1m30s or 500ms` });

/** A size in bytes: 1073741824, "1g", "512m", "64k". */
const size = (what: string) => z.union([z.string(), z.number()], { error: `${what} must be a size such as 512m or 1g` });

const mapping = (what: string) => z.record(z.string(), scalar, { error: `${what} must be a mapping` });

export const portLongSchema = z.object({
  target: int('ports.target'),
  published: z.union([z.string(), z.number()]).optional(),
  host_ip: str('ports.host_ip').optional(),
  protocol: z.enum(['tcp', 'udp'], { error: 'ports.protocol must be tcp or udp' }).optional(),
  mode: str('ports.mode').optional(),
  name: str('ports.name').optional(),
  app_protocol: str('ports.app_protocol').optional(),
});

export const volumeLongSchema = z.object({
  type: z.enum(['volume', 'bind', 'tmpfs', 'image', 'npipe', 'cluster'], {
    error: 'volumes.type must be volume, bind, tmpfs or image',
  }),
  source: str('volumes.source').optional(),
  target: str('volumes.target'),
  read_only: bool('volumes.read_only').optional(),
  consistency: str('volumes.consistency').optional(),
  volume: z.object({ nocopy: bool('volume.nocopy').optional(), subpath: str('volume.subpath').optional() }).optional(),
  bind: z
    .object({
      create_host_path: bool('bind.create_host_path').optional(),
      selinux: z.enum(['z', 'Z'], { error: 'bind.selinux must be z or Z' }).optional(),
      propagation: z
        .enum(['shared', 'slave', 'private', 'rshared', 'rslave', 'rprivate'], {
          error: 'bind.propagation must be shared, slave, private, rshared, rslave or rprivate',
        })
        .optional(),
    })
    .optional(),
  tmpfs: z.object({ size: size('tmpfs.size').optional(), mode: z.union([z.string(), z.number()]).optional() }).optional(),
});

export const serviceNetworkSchema = z.object({
  aliases: z.array(scalar, { error: 'aliases must be a list of names' }).optional(),
  ipv4_address: str('ipv4_address').optional(),
  ipv6_address: str('ipv6_address').optional(),
  mac_address: str('mac_address').optional(),
  interface_name: str('interface_name').optional(),
  priority: int('priority').optional(),
});

export const dependsOnEntrySchema = z.object({
  condition: z
    .enum(['service_started', 'service_healthy', 'service_completed_successfully'], {
      error: 'condition must be service_started, service_healthy or service_completed_successfully',
    })
    .default('service_started'),
  required: bool('depends_on.required').default(true),
  restart: bool('depends_on.restart').default(false),
});

export const healthcheckSchema = z.object({
  test: stringOrList('healthcheck.test').optional(),
  interval: duration('healthcheck.interval').optional(),
  timeout: duration('healthcheck.timeout').optional(),
  retries: int('healthcheck.retries').optional(),
  start_period: duration('healthcheck.start_period').optional(),
  start_interval: duration('healthcheck.start_interval').optional(),
  disable: bool('healthcheck.disable').optional(),
});

/** A service's reference to a secret or config: its name, or the long syntax. */
export const fileReferenceSchema = z.union(
  [
    z.string(),
    z.object({
      source: str('source'),
      target: str('target').optional(),
      uid: scalar.optional(),
      gid: scalar.optional(),
      mode: z.union([z.string(), z.number()]).optional(),
    }),
  ],
  { error: 'each entry must be a name or a mapping with source' },
);

/** nofile: 1024, or nofile: {soft: 1024, hard: 2048}. */
export const ulimitsSchema = z.record(
  z.string(),
  z.union([int('ulimit'), z.object({ soft: int('ulimits.soft'), hard: int('ulimits.hard') })], {
    error: 'a ulimit must be a number or {soft, hard}',
  }),
  { error: 'ulimits must be a mapping' },
);

const extraHosts = (what: string) =>
  z.union([z.array(scalar), z.record(z.string(), z.union([scalar, z.array(scalar)]))], {
    error: `${what} must be a list of "host:ip" or a mapping of host → ip`,
  });

export const buildLongSchema = z.object({
  context: str('build.context').optional(),
  dockerfile: str('build.dockerfile').optional(),
  dockerfile_inline: str('build.dockerfile_inline').optional(),
  args: listOrDict('build.args').optional(),
  target: str('build.target').optional(),
  platforms: list('build.platforms').optional(),
  labels: listOrDict('build.labels').optional(),
  network: str('build.network').optional(),
  extra_hosts: extraHosts('build.extra_hosts').optional(),
  secrets: z.array(fileReferenceSchema, { error: 'build.secrets must be a list' }).optional(),
  no_cache: bool('build.no_cache').optional(),
  pull: bool('build.pull').optional(),
  shm_size: size('build.shm_size').optional(),
  tags: list('build.tags').optional(),
  ulimits: ulimitsSchema.optional(),
  cache_from: list('build.cache_from').optional(),
  cache_to: list('build.cache_to').optional(),
  isolation: str('build.isolation').optional(),
});

export const serviceExtrasSchema = z.object({
  title: str('x-poddesk.title').optional(),
  open: z.object({ port: int('x-poddesk.open.port').optional(), path: str('x-poddesk.open.path').default('/') }).optional(),
});

const deviceRequestSchema = z.object({
  capabilities: z.array(scalar, { error: 'capabilities must be a list' }).optional(),
  count: z.union([z.literal('all'), int('count')]).optional(),
  device_ids: list('device_ids').optional(),
  driver: str('driver').optional(),
  options: listOrDict('options').optional(),
});

const resourceSchema = z.object({
  cpus: num('cpus').optional(),
  memory: size('memory').optional(),
  pids: int('pids').optional(),
  devices: z.array(deviceRequestSchema, { error: 'devices must be a list' }).optional(),
  generic_resources: z.unknown().optional(),
});

export const deploySchema = z.object({
  mode: str('deploy.mode').optional(),
  replicas: int('deploy.replicas').optional(),
  resources: z.object({ limits: resourceSchema.optional(), reservations: resourceSchema.optional() }).optional(),
  restart_policy: z
    .object({
      condition: z
        .enum(['none', 'on-failure', 'any', 'always', 'unless-stopped'], {
          error: 'restart_policy.condition must be none, on-failure or any',
        })
        .optional(),
      max_attempts: int('restart_policy.max_attempts').optional(),
      delay: duration('restart_policy.delay').optional(),
      window: duration('restart_policy.window').optional(),
    })
    .optional(),
  labels: listOrDict('deploy.labels').optional(),
  endpoint_mode: str('deploy.endpoint_mode').optional(),
  placement: z.unknown().optional(),
  update_config: z.unknown().optional(),
  rollback_config: z.unknown().optional(),
});

const blkioLimit = z.array(z.object({ path: str('path'), rate: size('rate') }));

export const serviceSchema = z.object({
  image: str('image').optional(),
  build: z.union([z.string(), buildLongSchema], { error: 'build must be a path or a mapping with context' }).optional(),
  command: stringOrList('command').nullable().optional(),
  entrypoint: stringOrList('entrypoint').nullable().optional(),
  environment: listOrDict('environment').optional(),
  env_file: z
    .union(
      [
        z.string(),
        z.array(z.union([z.string(), z.object({ path: z.string(), required: bool('env_file.required').default(true) })])),
      ],
      { error: 'env_file must be a path or a list of paths' },
    )
    .optional(),
  label_file: stringOrList('label_file').optional(),
  ports: z
    .array(z.union([z.number(), z.string(), portLongSchema], { error: 'a port must be "HOST:CONTAINER" or a mapping' }), {
      error: 'ports must be a list',
    })
    .optional(),
  expose: z.array(z.union([z.string(), z.number()])).optional(),
  volumes: z
    .array(z.union([z.string(), volumeLongSchema], { error: 'a volume must be "SOURCE:TARGET[:ro]" or a mapping' }), {
      error: 'volumes must be a list',
    })
    .optional(),
  volumes_from: list('volumes_from').optional(),
  networks: z
    .union([z.array(z.string()), z.record(z.string(), serviceNetworkSchema.nullable())], {
      error: 'networks must be a list of network names or a mapping',
    })
    .optional(),
  network_mode: str('network_mode').optional(),
  links: list('links').optional(),
  depends_on: z
    .union([z.array(z.string()), z.record(z.string(), dependsOnEntrySchema)], {
      error: 'depends_on must be a list of services or a mapping of service → condition',
    })
    .optional(),
  healthcheck: healthcheckSchema.optional(),
  restart: z
    .string()
    .regex(/^(no|always|unless-stopped|on-failure(:\d+)?)$/, {
      error: 'restart must be "no", "always", "unless-stopped" or "on-failure[:max-retries]"',
    })
    .optional(),
  labels: listOrDict('labels').optional(),
  annotations: listOrDict('annotations').optional(),
  container_name: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, { error: 'container_name may hold only letters, digits, _ . and -' })
    .optional(),
  working_dir: str('working_dir').optional(),
  user: scalar.optional(),
  hostname: str('hostname').optional(),
  tty: bool('tty').optional(),
  stdin_open: bool('stdin_open').optional(),
  attach: z.union([z.boolean(), z.string()]).optional(),
  stop_grace_period: duration('stop_grace_period').optional(),
  stop_signal: str('stop_signal').optional(),
  devices: z
    .array(
      z.union([
        z.string(),
        z.object({ source: str('source'), target: str('target').optional(), permissions: str('permissions').optional() }),
      ]),
      { error: 'devices must be a list' },
    )
    .optional(),
  profiles: list('profiles').optional(),
  scale: int('scale').optional(),
  deploy: deploySchema.nullable().optional(),
  cap_add: list('cap_add').optional(),
  cap_drop: list('cap_drop').optional(),
  privileged: bool('privileged').optional(),
  read_only: bool('read_only').optional(),
  init: bool('init').optional(),
  tmpfs: stringOrList('tmpfs').optional(),
  sysctls: listOrDict('sysctls').optional(),
  ulimits: ulimitsSchema.optional(),
  shm_size: size('shm_size').optional(),
  extra_hosts: extraHosts('extra_hosts').optional(),
  dns: stringOrList('dns').optional(),
  dns_search: stringOrList('dns_search').optional(),
  dns_opt: list('dns_opt').optional(),
  group_add: list('group_add').optional(),
  mac_address: str('mac_address').optional(),
  pid: str('pid').nullable().optional(),
  ipc: str('ipc').optional(),
  uts: str('uts').optional(),
  cgroup: z.enum(['host', 'private'], { error: 'cgroup must be host or private' }).optional(),
  cgroup_parent: str('cgroup_parent').optional(),
  userns_mode: str('userns_mode').optional(),
  security_opt: list('security_opt').optional(),
  mem_limit: size('mem_limit').optional(),
  memswap_limit: size('memswap_limit').optional(),
  mem_reservation: size('mem_reservation').optional(),
  mem_swappiness: int('mem_swappiness').optional(),
  oom_kill_disable: bool('oom_kill_disable').optional(),
  oom_score_adj: int('oom_score_adj').optional(),
  cpus: num('cpus').optional(),
  cpu_shares: int('cpu_shares').optional(),
  cpu_quota: int('cpu_quota').optional(),
  cpu_period: int('cpu_period').optional(),
  cpu_rt_period: z.union([z.string(), z.number()]).optional(),
  cpu_rt_runtime: z.union([z.string(), z.number()]).optional(),
  cpuset: str('cpuset').optional(),
  pids_limit: int('pids_limit').optional(),
  blkio_config: z
    .object({
      weight: int('blkio_config.weight').optional(),
      weight_device: z.array(z.object({ path: str('path'), weight: int('weight') })).optional(),
      device_read_bps: blkioLimit.optional(),
      device_write_bps: blkioLimit.optional(),
      device_read_iops: blkioLimit.optional(),
      device_write_iops: blkioLimit.optional(),
    })
    .optional(),
  device_cgroup_rules: list('device_cgroup_rules').optional(),
  storage_opt: mapping('storage_opt').optional(),
  pull_policy: str('pull_policy').optional(),
  logging: z
    .object({ driver: str('logging.driver').optional(), options: z.record(z.string(), scalar.nullable()).optional() })
    .optional(),
  runtime: str('runtime').optional(),
  platform: str('platform').optional(),
  secrets: z.array(fileReferenceSchema, { error: 'secrets must be a list' }).optional(),
  configs: z.array(fileReferenceSchema, { error: 'configs must be a list' }).optional(),
  gpus: z.union([z.literal('all'), z.array(deviceRequestSchema)], { error: 'gpus must be "all" or a list' }).optional(),
  extends: z.union([z.string(), z.object({ service: str('extends.service'), file: str('extends.file').optional() })]).optional(),
  'x-poddesk': serviceExtrasSchema.optional(),
});

export const topNetworkSchema = z.object({
  name: str('networks.name').optional(),
  external: z.union([bool('networks.external'), z.object({ name: str('external.name').optional() })]).optional(),
  driver: str('networks.driver').optional(),
  internal: bool('networks.internal').optional(),
  labels: listOrDict('networks.labels').optional(),
  driver_opts: z.record(z.string(), scalar).optional(),
  enable_ipv6: bool('networks.enable_ipv6').optional(),
  enable_ipv4: bool('networks.enable_ipv4').optional(),
  attachable: bool('networks.attachable').optional(),
  ipam: z
    .object({
      driver: str('ipam.driver').optional(),
      config: z
        .array(
          z.object({
            subnet: str('ipam.config.subnet').optional(),
            gateway: str('ipam.config.gateway').optional(),
            ip_range: str('ipam.config.ip_range').optional(),
            aux_addresses: z.record(z.string(), scalar).optional(),
          }),
        )
        .optional(),
      options: z.record(z.string(), scalar).optional(),
    })
    .optional(),
});

export const topVolumeSchema = z.object({
  name: str('volumes.name').optional(),
  external: z.union([bool('volumes.external'), z.object({ name: str('external.name').optional() })]).optional(),
  driver: str('volumes.driver').optional(),
  labels: listOrDict('volumes.labels').optional(),
  driver_opts: z.record(z.string(), scalar).optional(),
});

/** A top-level secret or config: where its content comes from. */
export const fileObjectSchema = z.object({
  name: str('name').optional(),
  file: str('file').optional(),
  environment: str('environment').optional(),
  content: str('content').optional(),
  external: z.union([bool('external'), z.object({ name: str('external.name').optional() })]).optional(),
  labels: listOrDict('labels').optional(),
  driver: str('driver').optional(),
  driver_opts: z.unknown().optional(),
  template_driver: str('template_driver').optional(),
});

export const stackExtrasSchema = z.object({
  title: str('x-poddesk.title').optional(),
  description: str('x-poddesk.description').optional(),
  /** Variables the app generates once and keeps (a Jupyter token): name → kind. */
  generate: z.record(z.string(), z.enum(['token'])).optional(),
  /** Override files (beside the stack's file) that a "Use the GPU" choice merges in, per vendor. */
  gpu: z.object({ nvidia: str('x-poddesk.gpu.nvidia').optional(), amd: str('x-poddesk.gpu.amd').optional() }).optional(),
});

export const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

export const includeSchema = z.union([
  z.string(),
  z.object({
    path: stringOrList('include.path'),
    project_directory: str('include.project_directory').optional(),
    env_file: stringOrList('include.env_file').optional(),
  }),
]);

export const composeSchema = z.object(
  {
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, {
        error: 'name must be lower-case letters, digits, _ and -, starting with a letter or digit',
      })
      .optional(),
    version: z.unknown().optional(),
    include: z.array(includeSchema, { error: 'include must be a list of files' }).optional(),
    services: z.record(
      z.string().regex(SERVICE_NAME, { error: 'a service name may hold only letters, digits, _ . and -' }),
      serviceSchema.nullable(),
      { error: 'services must be a mapping of service names' },
    ),
    networks: z.record(z.string(), topNetworkSchema.nullable()).optional(),
    volumes: z.record(z.string(), topVolumeSchema.nullable()).optional(),
    secrets: z.record(z.string(), fileObjectSchema.nullable()).optional(),
    configs: z.record(z.string(), fileObjectSchema.nullable()).optional(),
    'x-poddesk': stackExtrasSchema.optional(),
  },
  { error: 'a Compose file must be a mapping with a "services" key' },
);

export type RawCompose = z.infer<typeof composeSchema>;
export type RawService = z.infer<typeof serviceSchema>;
export type RawFileReference = z.infer<typeof fileReferenceSchema>;
export type RawDeviceRequest = z.infer<typeof deviceRequestSchema>;

type Shape = Record<string, z.ZodType>;
const keys = (schema: { shape: Shape }) => new Set(Object.keys(schema.shape));

/**
 * Where each kind of mapping sits in a Compose file, and the keys PodDesk reads there. A path
 * pattern uses `*` for a name (a service, a network…) and `#` for a list index. A key that is
 * read here may still be refused for some values (a swarm-only deploy field, an external
 * secret): normalize says so with the value's line.
 */
export const knownKeys: [pattern: string, keys: Set<string>][] = [
  ['', keys(composeSchema)],
  ['include.#', new Set(['path', 'project_directory', 'env_file'])],
  ['services.*', keys(serviceSchema)],
  ['services.*.build', keys(buildLongSchema)],
  ['services.*.build.secrets.#', new Set(['source', 'target', 'uid', 'gid', 'mode'])],
  ['services.*.healthcheck', keys(healthcheckSchema)],
  ['services.*.depends_on.*', keys(dependsOnEntrySchema)],
  ['services.*.ports.#', keys(portLongSchema)],
  ['services.*.volumes.#', keys(volumeLongSchema)],
  ['services.*.volumes.#.volume', new Set(['nocopy', 'subpath'])],
  ['services.*.volumes.#.bind', new Set(['create_host_path', 'selinux', 'propagation'])],
  ['services.*.volumes.#.tmpfs', new Set(['size', 'mode'])],
  ['services.*.networks.*', keys(serviceNetworkSchema)],
  ['services.*.env_file.#', new Set(['path', 'required'])],
  ['services.*.devices.#', new Set(['source', 'target', 'permissions'])],
  ['services.*.secrets.#', new Set(['source', 'target', 'uid', 'gid', 'mode'])],
  ['services.*.configs.#', new Set(['source', 'target', 'uid', 'gid', 'mode'])],
  ['services.*.deploy', keys(deploySchema)],
  ['services.*.deploy.resources', new Set(['limits', 'reservations'])],
  ['services.*.deploy.resources.limits', new Set(['cpus', 'memory', 'pids'])],
  ['services.*.deploy.resources.reservations', new Set(['cpus', 'memory', 'devices', 'generic_resources'])],
  ['services.*.deploy.resources.reservations.devices.#', keys(deviceRequestSchema)],
  ['services.*.deploy.restart_policy', new Set(['condition', 'max_attempts', 'delay', 'window'])],
  ['services.*.gpus.#', keys(deviceRequestSchema)],
  ['services.*.logging', new Set(['driver', 'options'])],
  [
    'services.*.blkio_config',
    new Set(['weight', 'weight_device', 'device_read_bps', 'device_write_bps', 'device_read_iops', 'device_write_iops']),
  ],
  ['services.*.extends', new Set(['service', 'file'])],
  ['services.*.x-poddesk', keys(serviceExtrasSchema)],
  ['services.*.x-poddesk.open', new Set(['port', 'path'])],
  ['networks.*', keys(topNetworkSchema)],
  ['networks.*.ipam', new Set(['driver', 'config', 'options'])],
  ['networks.*.ipam.config.#', new Set(['subnet', 'gateway', 'ip_range', 'aux_addresses'])],
  ['volumes.*', keys(topVolumeSchema)],
  ['secrets.*', keys(fileObjectSchema)],
  ['configs.*', keys(fileObjectSchema)],
  ['x-poddesk', keys(stackExtrasSchema)],
  ['x-poddesk.gpu', new Set(['nvidia', 'amd'])],
];
