import type {
  ContainerSummary,
  ContainerWiring,
  NetworkSummary,
  StackSummary,
  VolumeSummary,
} from '../../../src/shared/contract';

/** The engine's objects as the first-hour rules and tracker see them, with what a test changes. */
export const container = (over: Partial<ContainerSummary>): ContainerSummary => ({
  id: 'c1',
  name: 'web',
  image: 'nginx',
  imageId: 'i1',
  command: '',
  state: 'running',
  created: 1000,
  ports: [],
  labels: {},
  isInfra: false,
  networks: ['podman'],
  ...over,
});
export const network = (over: Partial<NetworkSummary>): NetworkSummary => ({
  id: 'n',
  name: 'podman',
  driver: 'bridge',
  created: 0,
  subnets: [],
  internal: false,
  ipv6: false,
  dnsEnabled: false,
  dnsServers: [],
  labels: {},
  options: {},
  isDefault: true,
  ...over,
});
export const volume = (name: string, created = 500): VolumeSummary => ({
  name,
  driver: 'local',
  created,
  mountpoint: '',
  labels: {},
  options: {},
  scope: 'local',
});
export const wiring = (id: string, volumes: string[]): ContainerWiring => ({
  id,
  name: id,
  endpoints: [],
  volumes: volumes.map((name) => ({ name, destination: '/data', rw: true })),
});
export const stack = (id: string, status: StackSummary['status'], source: StackSummary['source'] = 'builtin'): StackSummary => ({
  id,
  project: id,
  title: id,
  source,
  status,
  services: [],
  volumes: [],
  launching: false,
});
