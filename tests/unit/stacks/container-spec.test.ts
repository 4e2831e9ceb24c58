import { describe, expect, it } from 'vitest';
import { configHash, containerName, toSpecGenerator } from '../../../src/main/stacks/container-spec';
import { project } from './fixtures';

const p = project(`
name: shop
services:
  web:
    image: web:1
    command: ["serve", "--port", "80"]
    entrypoint: /entry.sh
    environment: {MODE: prod}
    ports: ["127.0.0.1:8080:80", "9000/udp", "0.0.0.0:8443:443"]
    volumes: [data:/data:ro, ./conf:/conf, /scratch, {type: tmpfs, target: /run/x}]
    networks:
      front: {aliases: [www]}
      back:
    healthcheck: {test: [CMD, wget, -q, localhost], interval: 2s, timeout: 1s, retries: 5, start_period: 3s}
    restart: on-failure:2
    labels: {team: shop}
    user: "1000"
    working_dir: /app
    stop_grace_period: 2s
    stop_signal: SIGINT
    devices: [/dev/dri]
  db:
    image: db
    container_name: shop-database
    healthcheck: {disable: true}
volumes:
  data: {name: shop-data-v1}
networks:
  front:
  back: {internal: true}
`);
const [web, db] = p.services as [(typeof p.services)[0], (typeof p.services)[0]];

describe('a Compose service as a libpod SpecGenerator', () => {
  it('maps every field the engine needs', () => {
    const spec = toSpecGenerator(p, web, { stackId: 'shop', configFile: '/stacks/shop.yaml' });
    expect(spec).toMatchObject({
      name: 'shop-web-1',
      image: 'web:1',
      command: ['serve', '--port', '80'],
      entrypoint: ['/entry.sh'],
      env: { MODE: 'prod' },
      netns: { nsmode: 'bridge' },
      Networks: { shop_front: { aliases: ['web', 'www'] }, shop_back: { aliases: ['web'] } },
      portmappings: [
        { host_ip: '127.0.0.1', host_port: 8080, container_port: 80, protocol: 'tcp' },
        { host_ip: '', host_port: 0, container_port: 9000, protocol: 'udp' },
        // Every interface, said as the podman CLI says it (Podman 4 takes "0.0.0.0" from the API literally).
        { host_ip: '', host_port: 8443, container_port: 443, protocol: 'tcp' },
      ],
      volumes: [
        { Name: 'shop-data-v1', Dest: '/data', Options: ['ro'] },
        { Name: '', Dest: '/scratch', Options: [] },
      ],
      mounts: [
        { destination: '/conf', type: 'bind', source: '/stacks/demo/conf', options: ['rbind', 'rw'] },
        { destination: '/run/x', type: 'tmpfs', source: 'tmpfs', options: [] },
      ],
      healthconfig: { Test: ['CMD', 'wget', '-q', 'localhost'], Interval: 2e9, Timeout: 1e9, Retries: 5, StartPeriod: 3e9 },
      restart_policy: 'on-failure',
      restart_tries: 2,
      user: '1000',
      work_dir: '/app',
      stop_timeout: 2,
      stop_signal: 2,
      devices: [{ path: '/dev/dri' }],
    });
  });

  it('labels containers as docker compose and podman-compose do', () => {
    const labels = toSpecGenerator(p, web, { stackId: 'shop', configFile: '/stacks/shop.yaml' }).labels;
    expect(labels).toMatchObject({
      team: 'shop',
      'com.docker.compose.project': 'shop',
      'com.docker.compose.service': 'web',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.container-number': '1',
      'com.docker.compose.project.config_files': '/stacks/shop.yaml',
      'io.podman.compose.project': 'shop',
      'io.podman.compose.service': 'web',
      'io.poddesk.stack': 'shop',
      'com.docker.compose.config-hash': configHash(p, web),
    });
  });

  it('honours container_name and a disabled healthcheck', () => {
    expect(containerName(p, db)).toBe('shop-database');
    expect(toSpecGenerator(p, db, { stackId: 'shop' })).toMatchObject({
      name: 'shop-database',
      healthconfig: { Test: ['NONE'] },
    });
  });

  it('takes the image’s own test when the file only sets timings', () => {
    const q = project('services:\n  a:\n    image: x\n    healthcheck: {interval: 5s}\n');
    expect(
      toSpecGenerator(q, q.services[0]!, { stackId: 'q', imageHealthTest: ['CMD-SHELL', 'true'] }).healthconfig,
    ).toMatchObject({
      Test: ['CMD-SHELL', 'true'],
      Interval: 5e9,
    });
    expect(toSpecGenerator(q, q.services[0]!, { stackId: 'q' }).healthconfig).toBeUndefined();
  });

  it('changes the config hash with what changes the container, and only with that', () => {
    const base = 'services:\n  a:\n    image: x\n    environment: {A: "1", B: "2"}\n';
    const hash = (text: string) => configHash(project(text), project(text).services[0]!);
    expect(hash(base)).toBe(hash('services:\n  a:\n    image: x\n    environment: {B: "2", A: "1"}\n'));
    expect(hash(base)).toBe(hash(`${base}    x-poddesk: {title: Renamed}\n`));
    expect(hash(base)).not.toBe(hash(base.replace('"2"', '"3"')));
    expect(hash(base)).not.toBe(hash(base.replace('image: x', 'image: y')));
  });
});
