import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCompose, type ParseOptions } from '../../../src/main/stacks/compose/parse';

const options = (vars: Record<string, string> = {}): ParseOptions => ({
  lookup: (name) => vars[name],
  workingDir: '/projects/demo',
  homeDir: '/home/me',
  defaultName: 'demo',
});

const parse = (text: string, vars?: Record<string, string>) => parseCompose(text, options(vars));
const errors = (text: string, vars?: Record<string, string>) => parse(text, vars).issues.filter((i) => i.severity === 'error');
const warnings = (text: string) => parse(text).issues.filter((i) => i.severity === 'warning');

describe('parsing a Compose file', () => {
  it('normalises every supported key', () => {
    const { project, issues } = parse(
      `
name: shop
services:
  web:
    build:
      context: ./app
      dockerfile: Containerfile.dev
      args: [MODE=dev]
    command: gunicorn -b 0.0.0.0:8000 "app:create()"
    entrypoint: [/entry.sh]
    environment:
      A: 1
      B: "two"
    ports: ["\${WEB_PORT:-8000}:8000", {target: 9000, published: "9001", host_ip: 127.0.0.1}]
    volumes:
      - data:/data
      - ./static:/static:ro
      - {type: tmpfs, target: /tmp}
    networks:
      front: {aliases: [shop-web]}
    depends_on:
      db: {condition: service_healthy}
    healthcheck:
      test: curl -f http://localhost:8000/
      interval: 5s
      retries: "4"
    restart: on-failure:3
    labels: [tier=front]
    stop_grace_period: 1m
  db:
    image: postgres:16
    networks: [front]
    x-poddesk: {title: Database}
volumes:
  data: {}
networks:
  front:
`,
    );
    expect(issues).toEqual([]);
    expect(project!.name).toBe('shop');
    const [web, db] = project!.services;
    expect(web).toMatchObject({
      name: 'web',
      image: 'shop-web',
      imageDerived: true,
      build: { context: '/projects/demo/app', dockerfile: 'Containerfile.dev', args: { MODE: 'dev' } },
      command: ['gunicorn', '-b', '0.0.0.0:8000', 'app:create()'],
      entrypoint: ['/entry.sh'],
      environment: { A: '1', B: 'two' },
      ports: [
        { hostIp: '', published: 8000, target: 8000, protocol: 'tcp' },
        { hostIp: '127.0.0.1', published: 9001, target: 9000, protocol: 'tcp' },
      ],
      mounts: [
        { type: 'volume', source: 'data', target: '/data', readOnly: false },
        { type: 'bind', source: '/projects/demo/static', target: '/static', readOnly: true },
        { type: 'tmpfs', target: '/tmp', readOnly: false },
      ],
      networks: { front: { aliases: ['shop-web'] } },
      dependsOn: { db: { condition: 'service_healthy', required: true, restart: false } },
      healthcheck: {
        test: ['CMD-SHELL', 'curl -f http://localhost:8000/'],
        intervalMs: 5000,
        timeoutMs: 30000,
        retries: 4,
        startPeriodMs: 0,
      },
      restart: { policy: 'on-failure', maxRetries: 3 },
      labels: { tier: 'front' },
      stopGracePeriodMs: 60000,
    });
    expect(db).toMatchObject({ image: 'postgres:16', networks: { front: { aliases: [] } }, extras: { title: 'Database' } });
    expect(project!.volumes).toEqual([{ key: 'data', name: 'shop_data', external: false, labels: {}, options: {} }]);
    expect(project!.networks).toEqual([
      { key: 'front', name: 'shop_front', external: false, internal: false, labels: {}, options: {}, enableIpv6: false },
    ]);
  });

  it('puts services that name no network on the project default network', () => {
    const { project } = parse('services:\n  a:\n    image: x\n  b:\n    image: y\n');
    expect(project!.name).toBe('demo');
    expect(project!.networks.map((n) => n.name)).toEqual(['demo_default']);
    expect(project!.services.map((s) => s.networks)).toEqual([{ default: { aliases: [] } }, { default: { aliases: [] } }]);
  });

  it('interpolates values (not keys) and keeps YAML anchors and merge keys working', () => {
    const { project, issues } = parse(
      `
x-common: &common
  image: \${IMAGE:-busybox}
  restart: always
services:
  svc:
    <<: *common
    environment: ["TAG=\${TAG}"]
    labels:
      "\${TAG}": "\${TAG}"
`,
      { TAG: 'v1' },
    );
    expect(issues).toEqual([]);
    const svc = project!.services[0]!;
    expect(svc).toMatchObject({ name: 'svc', image: 'busybox', restart: { policy: 'always' } });
    expect(svc.environment).toEqual({ TAG: 'v1' });
    expect(svc.labels).toEqual({ '${TAG}': 'v1' });
  });

  it('reports YAML syntax errors with line and column', () => {
    const issues = errors('services:\n  web:\n    image: x\n   bad: [\n');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatchObject({ severity: 'error', line: expect.any(Number), column: expect.any(Number) });
    expect(errors('services:\n  a:\n    image: x\n  a:\n    image: y\n')[0]).toMatchObject({
      message: 'Map keys must be unique',
      line: 4,
      column: 3,
    });
  });

  it('reports schema errors at the offending value', () => {
    const issues = errors('services:\n  web:\n    image: x\n    ports: 80\n    restart: sometimes\n    tty: maybe\n');
    expect(issues).toEqual([
      { severity: 'error', message: 'ports must be a list', path: 'services.web.ports', line: 4, column: 12 },
      {
        severity: 'error',
        message: 'restart must be "no", "always", "unless-stopped" or "on-failure[:max-retries]"',
        path: 'services.web.restart',
        line: 5,
        column: 14,
      },
      { severity: 'error', message: 'tty must be true or false', path: 'services.web.tty', line: 6, column: 10 },
    ]);
  });

  it('explains short-syntax mistakes with their place', () => {
    expect(errors('services:\n  web:\n    image: x\n    ports:\n      - "70000:80"\n')[0]).toEqual({
      severity: 'error',
      message: 'services.web.ports.0: host port 70000 is out of range (1–65535)',
      path: 'services.web.ports.0',
      line: 5,
      column: 9,
    });
    expect(errors('services:\n  web:\n    image: x\n    healthcheck:\n      interval: soon\n')[0]).toMatchObject({
      path: 'services.web.healthcheck.interval',
      line: 5,
      column: 17,
    });
  });

  it('refuses references to things the file does not declare, and dependency cycles', () => {
    const messages = errors(
      `
services:
  web:
    image: x
    depends_on: [api, ghost]
    networks: [back]
    volumes: [data:/data]
  api:
    depends_on: [web]
`,
    ).map((i) => i.message);
    expect(messages).toEqual([
      'Service "api" has neither an image nor a build section',
      'Service "web" depends on "ghost", which is not a service of this file',
      'Service "web" uses network "back", which is not declared under the top-level "networks"',
      'Service "web" uses volume "data", which is not declared under the top-level "volumes"',
      'Dependency cycle: web → api → web (depends_on must not loop)',
    ]);
  });

  it('refuses one host port published twice and a missing required variable', () => {
    expect(
      errors('services:\n  a:\n    image: x\n    ports: ["80:80"]\n  b:\n    image: y\n    ports: ["80:8080"]\n')[0]!.message,
    ).toBe('Host port 80/tcp is published by both "a" and "b"');
    expect(errors('services:\n  a:\n    image: ${IMAGE:?choose an image}\n')[0]).toMatchObject({
      message: 'Required variable IMAGE is missing a value: choose an image',
      line: 3,
      column: 12,
    });
  });

  it('lists what it does not support as warnings, never in silence', () => {
    const found = warnings(
      `
version: "3.9"
services:
  web:
    image: x
    develop: {watch: [{path: ., action: rebuild}]}
    privileged: true
    healthcheck: {test: [CMD, true], start_interval: 1s, bogus: 1}
    x-custom: fine
secrets: {}
x-anything: {}
`,
    );
    expect(found.map((w) => [w.message, w.line])).toEqual([
      ['"version" is obsolete and ignored (as docker compose does)', 2],
      [
        'services.web.develop is not supported by PodDesk and is ignored: PodDesk does not watch your files: after a change, relaunch the stack (for a build, "Rebuild images and relaunch")',
        6,
      ],
      ['services.web.healthcheck.bogus is not supported by PodDesk and is ignored', 8],
    ]);
  });

  it('warns, like docker compose, about a variable used unset without a default', () => {
    expect(warnings('services:\n  a:\n    image: busybox:${TAG}\n')).toEqual([
      { severity: 'warning', message: 'The TAG variable is not set. Defaulting to a blank string.', line: 3, column: 12 },
    ]);
  });

  it('lists the variables the file uses, once each', () => {
    const { variables } = parse(
      'services:\n  a:\n    image: ${IMAGE:-busybox}\n    environment: ["A=${IMAGE}", "B=${TOKEN:?x}"]\n',
      { TOKEN: 't' },
    );
    expect(variables).toEqual([
      { name: 'IMAGE', default: 'busybox', required: false },
      { name: 'TOKEN', required: true },
    ]);
  });

  it('uses the override name over name:, and refuses a bad name', () => {
    expect(parseCompose('name: one\nservices:\n  a:\n    image: x\n', { ...options(), overrideName: 'two' }).project!.name).toBe(
      'two',
    );
    expect(errors('name: Bad Name\nservices:\n  a:\n    image: x\n')[0]!.path).toBe('name');
  });

  it('says so for an empty file or one that is not a mapping', () => {
    expect(errors('')[0]!.message).toMatch(/empty/);
    expect(errors('- a\n- b\n')[0]!.message).toMatch(/mapping/);
    expect(errors('services: {}\n')[0]!.message).toBe('The file defines no services');
  });
});

describe('the built-in stacks', () => {
  const dir = join(import.meta.dirname, '../../../resources/stacks');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

  it('are the four the app promises', () => {
    expect(files.sort()).toEqual(['ai-lab.yaml', 'ai-webapp.yaml', 'jupyter.yaml', 'ollama.yaml']);
  });

  for (const file of files) {
    it(`${file} parses without a warning, with images and ports as variables`, () => {
      const result = parseCompose(readFileSync(join(dir, file), 'utf8'), {
        lookup: (name) => (name === 'JUPYTER_TOKEN' ? 'tok' : undefined),
        workingDir: dir,
        defaultName: file.replace('.yaml', ''),
      });
      expect(result.issues).toEqual([]);
      const names = result.variables.map((v) => v.name);
      for (const s of result.project!.services) {
        expect(s.ports.every((p) => p.published !== undefined)).toBe(true);
      }
      expect(names.some((n) => n.endsWith('_IMAGE'))).toBe(true);
      expect(names.some((n) => n.endsWith('_PORT'))).toBe(true);
    });
  }

  it('wire the web app to Ollama by service name, gated on its health', () => {
    for (const file of ['ai-webapp.yaml', 'ai-lab.yaml']) {
      const { project } = parseCompose(readFileSync(join(dir, file), 'utf8'), {
        lookup: (name) => (name === 'JUPYTER_TOKEN' ? 'tok' : undefined),
        workingDir: dir,
        defaultName: 'x',
      });
      const web = project!.services.find((s) => s.name === 'web')!;
      expect(web.environment.OLLAMA_URL).toBe('http://ollama:11434');
      expect(web.dependsOn.ollama!.condition).toBe('service_healthy');
      expect(web.build!.context).toBe(join(dir, '../templates/flask-chat'));
      expect(project!.services.find((s) => s.name === 'ollama')!.healthcheck).toMatchObject({ test: ['CMD', 'ollama', 'list'] });
    }
  });

  it('refuse to start Jupyter without a token (another tool must set one)', () => {
    const result = parseCompose(readFileSync(join(dir, 'jupyter.yaml'), 'utf8'), {
      lookup: () => undefined,
      workingDir: dir,
      defaultName: 'j',
    });
    expect(result.issues[0]!.message).toMatch(/^Required variable JUPYTER_TOKEN is missing a value/);
  });
});
