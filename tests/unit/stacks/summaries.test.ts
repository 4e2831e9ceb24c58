import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../src/shared/contract';
import { serviceLinks } from '../../../src/main/stacks/links';
import { summarizeAll, type DefinitionView } from '../../../src/main/stacks/summaries';

function container(partial: Partial<ContainerSummary> & { name: string }): ContainerSummary {
  return {
    id: `id-${partial.name}`,
    image: 'img',
    imageId: 'x',
    command: '',
    state: 'running',
    created: 1,
    ports: [],
    labels: {},
    isInfra: false,
    networks: [],
    ...partial,
  };
}

const jupyter: DefinitionView = {
  id: 'jupyter',
  source: 'builtin',
  project: 'jupyter',
  title: 'Jupyter Lab',
  modified: false,
  services: [
    {
      name: 'jupyter',
      title: 'Jupyter Lab',
      image: 'quay.io/jupyter/base-notebook',
      build: false,
      ports: [{ hostIp: '', hostPort: 8888, containerPort: 8888, protocol: 'tcp' }],
      extras: { title: 'Jupyter Lab', open: { port: 8888, path: '/lab?token=abc' } },
      oneShot: false,
    },
  ],
  volumes: ['jupyter_notebooks'],
};

describe('the Stacks page’s view', () => {
  it('shows a stack that does not exist yet with the ports its file asks for', () => {
    const [s] = summarizeAll([jupyter], [], new Set(), 'localhost');
    expect(s).toMatchObject({ id: 'jupyter', status: 'not-created', launching: false, volumes: ['jupyter_notebooks'] });
    expect(s!.services[0]).toMatchObject({ name: 'jupyter', links: [], ports: [{ hostPort: 8888 }] });
    expect(s!.services[0]!.container).toBeUndefined();
  });

  it('joins the containers carrying the project label, with their health and Open links', () => {
    const c = container({
      name: 'jupyter-jupyter-1',
      project: 'jupyter',
      service: 'jupyter',
      health: 'healthy',
      ports: [{ hostIp: '', hostPort: 8888, containerPort: 8888, protocol: 'tcp' }],
    });
    const [s] = summarizeAll([jupyter], [c], new Set(['jupyter']), 'localhost');
    expect(s).toMatchObject({ status: 'running', launching: true });
    expect(s!.services[0]!.links).toEqual([{ label: 'Jupyter Lab', url: 'http://localhost:8888/lab?token=abc' }]);
    expect(s!.services[0]!.container).toEqual({
      id: 'id-jupyter-jupyter-1',
      name: 'jupyter-jupyter-1',
      state: 'running',
      health: 'healthy',
    });
  });

  it('tells starting, unhealthy, partial and stopped apart', () => {
    const two: DefinitionView = {
      ...jupyter,
      services: [jupyter.services[0]!, { ...jupyter.services[0]!, name: 'other', extras: {} }],
    };
    const c = (service: string, extra: Partial<ContainerSummary> = {}) =>
      container({ name: `jupyter-${service}-1`, project: 'jupyter', service, ...extra });
    const status = (containers: ContainerSummary[]) => summarizeAll([two], containers, new Set(), 'localhost')[0]!.status;
    expect(status([c('jupyter'), c('other', { health: 'starting' })])).toBe('starting');
    expect(status([c('jupyter'), c('other', { health: 'unhealthy' })])).toBe('unhealthy');
    expect(status([c('jupyter')])).toBe('partial');
    expect(status([c('jupyter', { state: 'exited' }), c('other', { state: 'created' })])).toBe('stopped');
  });

  it('counts a finished one-shot job as done, not as stopped', () => {
    const view: DefinitionView = {
      ...jupyter,
      services: [{ ...jupyter.services[0]!, name: 'migrate', oneShot: true, ports: [], extras: {} }],
    };
    const done = container({ name: 'm', project: 'jupyter', service: 'migrate', state: 'exited', exitCode: 0 });
    expect(summarizeAll([view], [done], new Set(), 'localhost')[0]!.status).toBe('running');
  });

  it('shows Compose projects started by other tools as external stacks, and ignores one-off runs', () => {
    const list = summarizeAll(
      [jupyter],
      [
        container({
          name: 'shop_web_1',
          project: 'shop',
          service: 'web',
          ports: [{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
        }),
        container({ name: 'shop_db_1', project: 'shop', service: 'db', state: 'exited' }),
        container({ name: 'shop_run_x', project: 'shop', service: 'web', labels: { 'com.docker.compose.oneoff': 'True' } }),
        container({ name: 'loose' }),
      ],
      new Set(),
      'localhost',
    );
    expect(list.map((s) => [s.id, s.source, s.status])).toEqual([
      ['jupyter', 'builtin', 'not-created'],
      ['project:shop', 'external', 'partial'],
    ]);
    expect(list[1]!.services.map((s) => [s.name, s.links.map((l) => l.url)])).toEqual([
      ['db', []],
      ['web', ['http://localhost:8080/']],
    ]);
  });

  it('makes links for the right host', () => {
    const ports = [
      { hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
      { hostIp: '192.168.1.5', hostPort: 9090, containerPort: 90, protocol: 'tcp' },
      { hostIp: '', hostPort: 5353, containerPort: 53, protocol: 'udp' },
    ];
    expect(serviceLinks(ports, undefined, 'devbox')).toEqual([
      { label: 'Port 8080', url: 'http://devbox:8080/' },
      { label: 'Port 9090', url: 'http://192.168.1.5:9090/' },
    ]);
    expect(serviceLinks(ports, { open: { path: 'docs' } })).toEqual([{ label: 'Open', url: 'http://localhost:8080/docs' }]);
  });
});
