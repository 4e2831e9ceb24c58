import { z } from 'zod';

/**
 * The Compose keys PodDesk understands, as zod schemas of the file after interpolation. Values
 * that Compose casts from strings (a port or a retry count written as "${PORT:-8888}") are
 * cast here too. Anything not declared here is reported as "not supported" by `unsupportedKeys`,
 * never dropped in silence.
 */

/** A number, or a string holding one (interpolated values are strings). */
const int = (what: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z.number({ error: `${what} must be a whole number` }).int({ error: `${what} must be a whole number` }),
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

/** `KEY=VALUE` list or mapping; a null value means "take it from the environment". */
const listOrDict = (what: string) =>
  z.union([z.array(scalar), z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))], {
    error: `${what} must be a list of KEY=VALUE strings or a mapping`,
  });

const duration = (what: string) =>
  z.union([z.string(), z.number()], { error: `${what} must be a duration such as 10s, 1m30s or 500ms` });

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
  type: z.enum(['volume', 'bind', 'tmpfs'], { error: 'volumes.type must be volume, bind or tmpfs' }),
  source: str('volumes.source').optional(),
  target: str('volumes.target'),
  read_only: bool('volumes.read_only').optional(),
  volume: z.object({ nocopy: bool('volume.nocopy').optional() }).optional(),
  bind: z
    .object({
      create_host_path: bool('bind.create_host_path').optional(),
      selinux: z.enum(['z', 'Z'], { error: 'bind.selinux must be z or Z' }).optional(),
    })
    .optional(),
  tmpfs: z.object({ size: z.union([z.string(), z.number()]).optional() }).optional(),
});

export const serviceNetworkSchema = z.object({
  aliases: z.array(scalar, { error: 'aliases must be a list of names' }).optional(),
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

export const buildLongSchema = z.object({
  context: str('build.context').optional(),
  dockerfile: str('build.dockerfile').optional(),
  args: listOrDict('build.args').optional(),
});

export const serviceExtrasSchema = z.object({
  title: str('x-poddesk.title').optional(),
  open: z.object({ port: int('x-poddesk.open.port').optional(), path: str('x-poddesk.open.path').default('/') }).optional(),
});

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
  networks: z
    .union([z.array(z.string()), z.record(z.string(), serviceNetworkSchema.nullable())], {
      error: 'networks must be a list of network names or a mapping',
    })
    .optional(),
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
  container_name: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, { error: 'container_name may hold only letters, digits, _ . and -' })
    .optional(),
  working_dir: str('working_dir').optional(),
  user: scalar.optional(),
  hostname: str('hostname').optional(),
  tty: bool('tty').optional(),
  stdin_open: bool('stdin_open').optional(),
  stop_grace_period: duration('stop_grace_period').optional(),
  stop_signal: str('stop_signal').optional(),
  devices: z.array(z.string(), { error: 'devices must be a list' }).optional(),
  'x-poddesk': serviceExtrasSchema.optional(),
});

export const topNetworkSchema = z.object({
  name: str('networks.name').optional(),
  external: bool('networks.external').optional(),
  driver: str('networks.driver').optional(),
  internal: bool('networks.internal').optional(),
  labels: listOrDict('networks.labels').optional(),
  driver_opts: z.record(z.string(), scalar).optional(),
});

export const topVolumeSchema = z.object({
  name: str('volumes.name').optional(),
  external: bool('volumes.external').optional(),
  driver: str('volumes.driver').optional(),
  labels: listOrDict('volumes.labels').optional(),
  driver_opts: z.record(z.string(), scalar).optional(),
});

export const stackExtrasSchema = z.object({
  title: str('x-poddesk.title').optional(),
  description: str('x-poddesk.description').optional(),
  /** Variables the app generates once and keeps (a Jupyter token): name → kind. */
  generate: z.record(z.string(), z.enum(['token'])).optional(),
});

export const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

export const composeSchema = z.object(
  {
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, {
        error: 'name must be lower-case letters, digits, _ and -, starting with a letter or digit',
      })
      .optional(),
    version: z.unknown().optional(),
    services: z.record(
      z.string().regex(SERVICE_NAME, { error: 'a service name may hold only letters, digits, _ . and -' }),
      serviceSchema.nullable(),
      { error: 'services must be a mapping of service names' },
    ),
    networks: z.record(z.string(), topNetworkSchema.nullable()).optional(),
    volumes: z.record(z.string(), topVolumeSchema.nullable()).optional(),
    'x-poddesk': stackExtrasSchema.optional(),
  },
  { error: 'a Compose file must be a mapping with a "services" key' },
);

export type RawCompose = z.infer<typeof composeSchema>;
export type RawService = z.infer<typeof serviceSchema>;

type Shape = Record<string, z.ZodType>;
const keys = (schema: { shape: Shape }) => new Set(Object.keys(schema.shape));

/**
 * Where each kind of mapping sits in a Compose file, and the keys PodDesk reads there. A path
 * pattern uses `*` for a name (a service, a network…) and `#` for a list index.
 */
export const knownKeys: [pattern: string, keys: Set<string>][] = [
  ['', keys(composeSchema)],
  ['services.*', keys(serviceSchema)],
  ['services.*.build', keys(buildLongSchema)],
  ['services.*.healthcheck', keys(healthcheckSchema)],
  ['services.*.depends_on.*', keys(dependsOnEntrySchema)],
  ['services.*.ports.#', keys(portLongSchema)],
  ['services.*.volumes.#', keys(volumeLongSchema)],
  ['services.*.volumes.#.volume', new Set(['nocopy'])],
  ['services.*.volumes.#.bind', new Set(['create_host_path', 'selinux'])],
  ['services.*.volumes.#.tmpfs', new Set(['size'])],
  ['services.*.networks.*', keys(serviceNetworkSchema)],
  ['services.*.env_file.#', new Set(['path', 'required'])],
  ['services.*.x-poddesk', keys(serviceExtrasSchema)],
  ['services.*.x-poddesk.open', new Set(['port', 'path'])],
  ['networks.*', keys(topNetworkSchema)],
  ['volumes.*', keys(topVolumeSchema)],
  ['x-poddesk', keys(stackExtrasSchema)],
];
