import { describe, expect, it } from 'vitest';
import { emptyForm, toRunSpec } from '../../src/renderer/src/pages/containers/run/form-model';
import { portUrl, tableItems, type TableOptions } from '../../src/renderer/src/pages/containers/table-model';
import type { ContainerStats, ContainerSummary } from '../../src/shared/contract';

let n = 0;
const c = (over: Partial<ContainerSummary>): ContainerSummary => ({
  id: `${(++n).toString(16).padStart(12, '0')}${'0'.repeat(52)}`,
  name: `c${n}`,
  image: 'img',
  imageId: '',
  command: '',
  state: 'running',
  created: n,
  ports: [],
  labels: {},
  isInfra: false,
  networks: [],
  ...over,
});

const options = (over: Partial<TableOptions> = {}): TableOptions => ({
  query: '',
  state: 'all',
  sort: { key: 'name', descending: false },
  groupBy: 'none',
  collapsed: new Set(),
  stats: new Map(),
  ...over,
});

describe('the containers table model', () => {
  const web = c({ name: 'web', project: 'shop', state: 'running' });
  const db = c({ name: 'db', project: 'shop', state: 'exited' });
  const lone = c({ name: 'lone', state: 'paused', image: 'alpine' });
  const infra = c({ name: 'infra', isInfra: true });
  const helper = c({ name: 'poddesk-helper-1', labels: { 'io.poddesk.helper': 'volume-browser' } });
  const inPod = c({ name: 'api', pod: { id: 'p1', name: 'backend' }, health: 'unhealthy' });
  const all = [web, db, lone, infra, helper, inPod];
  const names = (items: ReturnType<typeof tableItems>) =>
    items.map((i) => (i.kind === 'row' ? i.container.name : `[${i.label}]`));

  it('hides infra and PodDesk’s helper containers, filters by state and query, and sorts', () => {
    expect(names(tableItems(all, options()))).toEqual(['api', 'db', 'lone', 'web']);
    expect(names(tableItems(all, options({ state: 'running' })))).toEqual(['api', 'web']);
    expect(names(tableItems(all, options({ state: 'stopped' })))).toEqual(['db']);
    expect(names(tableItems(all, options({ state: 'unhealthy' })))).toEqual(['api']);
    expect(names(tableItems(all, options({ query: 'alp' })))).toEqual(['lone']);
    expect(names(tableItems(all, options({ sort: { key: 'state', descending: false } })))).toEqual(['api', 'web', 'lone', 'db']);
    expect(names(tableItems(all, options({ sort: { key: 'created', descending: true } })))).toEqual(['api', 'lone', 'db', 'web']);
  });

  it('sorts by live CPU and memory, containers without stats last', () => {
    const stats = new Map<string, ContainerStats>([
      [web.id, { cpuPercent: 50, memUsed: 10 } as ContainerStats],
      [inPod.id, { cpuPercent: 5, memUsed: 900 } as ContainerStats],
    ]);
    expect(names(tableItems(all, options({ stats, sort: { key: 'cpu', descending: true } })))).toEqual([
      'web',
      'api',
      'db',
      'lone',
    ]);
    expect(names(tableItems(all, options({ stats, sort: { key: 'memory', descending: true } })))).toEqual([
      'api',
      'web',
      'db',
      'lone',
    ]);
  });

  it('groups by stack or pod, ungrouped last, and collapses groups', () => {
    expect(names(tableItems(all, options({ groupBy: 'stack' })))).toEqual([
      '[shop]',
      'db',
      'web',
      '[Not in a stack]',
      'api',
      'lone',
    ]);
    const grouped = tableItems(all, options({ groupBy: 'pod' }));
    expect(names(grouped)).toEqual(['[backend]', 'api', '[Not in a pod]', 'db', 'lone', 'web']);
    expect(grouped[0]).toMatchObject({ kind: 'group', count: 1, running: 1, ids: [inPod.id] });
    expect(names(tableItems(all, options({ groupBy: 'stack', collapsed: new Set(['stack:shop']) })))).toEqual([
      '[shop]',
      '[Not in a stack]',
      'api',
      'lone',
    ]);
  });
});

describe('published ports as links', () => {
  const port = (hostIp: string, protocol = 'tcp') => ({ hostIp, hostPort: 8080, containerPort: 80, protocol });
  it('opens localhost for every-address and loopback bindings, the bound address otherwise, and nothing for UDP', () => {
    for (const ip of ['', '0.0.0.0', '::', '127.0.0.1', '::1']) expect(portUrl(port(ip))).toBe('http://localhost:8080');
    expect(portUrl(port('192.168.1.20'))).toBe('http://192.168.1.20:8080');
    expect(portUrl(port('fd00::5'))).toBe('http://[fd00::5]:8080');
    expect(portUrl(port('', 'udp'))).toBeNull();
    expect(portUrl({ ...port(''), hostPort: 0 })).toBeNull();
  });
});

describe('the Run form model', () => {
  it('turns the form into the spec main expects', () => {
    const form = {
      ...emptyForm('nginx:1.27'),
      name: ' web ',
      command: `nginx -g 'daemon off;'`,
      ports: [{ hostIp: '', hostPort: '8080', containerPort: '80', protocol: 'tcp' as const }],
      env: [
        { key: 'A', value: '1' },
        { key: '', value: '' },
      ],
      volumes: [{ source: 'data', target: '/data', readOnly: false }],
    };
    expect(toRunSpec(form)).toEqual({
      errors: {},
      spec: expect.objectContaining({
        image: 'nginx:1.27',
        name: 'web',
        command: ['nginx', '-g', 'daemon off;'],
        ports: [{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
        env: [{ key: 'A', value: '1' }],
      }),
    });
  });

  it('says what is wrong, field by field, before anything is sent', () => {
    const { spec, errors } = toRunSpec({
      ...emptyForm('Bad Image'),
      name: 'has space',
      command: `echo 'open`,
      ports: [
        { hostIp: '', hostPort: '99999', containerPort: 'x', protocol: 'tcp' },
        { hostIp: '', hostPort: '8080', containerPort: '80', protocol: 'tcp' },
        { hostIp: '', hostPort: '8080', containerPort: '81', protocol: 'tcp' },
      ],
      env: [{ key: '1X', value: 'v' }],
      volumes: [{ source: 'v', target: 'relative', readOnly: false }],
      autoRemove: true,
      restartPolicy: 'always',
    });
    expect(spec).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(
      [
        'command',
        'env.0.key',
        'image',
        'name',
        'ports.0.containerPort',
        'ports.0.hostPort',
        'ports.2.hostPort',
        'restartPolicy',
        'volumes.0.target',
      ].sort(),
    );
  });
});
