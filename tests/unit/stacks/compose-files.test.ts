import { describe, expect, it } from 'vitest';
import { mergeFiles } from '../../../src/main/stacks/compose/merge';
import { parseCompose, type ParseOptions } from '../../../src/main/stacks/compose/parse';

/**
 * Several files as one project, as docker compose reads them: override files merged over the
 * first (`-f a -f b`), `include` adding another project's resources, `extends` building a
 * service on another, here or in another file.
 */
const base = (files: Record<string, string> = {}, overrides: { path: string; text: string }[] = []): ParseOptions => ({
  lookup: (n) => ({ TAG: '2' })[n],
  workingDir: '/p',
  defaultName: 'demo',
  overrides,
  readFile: (path) => (path in files ? files[path] : null),
});

describe('override files', () => {
  it('merge as docker compose merges them: mappings by key, commands replaced, volumes by target, lists appended', () => {
    const main = `
services:
  web:
    image: web:1
    command: [serve, --port, "80"]
    environment: [A=1, B=2]
    labels: {tier: front}
    ports: ["8080:80"]
    volumes: [data:/data, ./conf:/conf:ro]
    depends_on: [db]
    dns: [1.1.1.1]
  db: {image: db}
volumes: {data: {}}
`;
    const override = `
services:
  web:
    image: web:\${TAG}
    command: serve --debug
    environment: {B: 3, C: 4}
    labels: [debug=true]
    ports: ["9229:9229"]
    volumes: [./data-dev:/data]
    depends_on: {cache: {condition: service_started}}
    dns: [9.9.9.9]
    profiles: [dev]
  cache: {image: redis}
`;
    const { project, issues } = parseCompose(main, base({}, [{ path: '/p/compose.override.yaml', text: override }]));
    expect(issues).toEqual([]);
    const web = project!.services.find((s) => s.name === 'web')!;
    expect(web).toMatchObject({
      image: 'web:2',
      command: ['serve', '--debug'],
      environment: { A: '1', B: '3', C: '4' },
      labels: { tier: 'front', debug: 'true' },
      dns: ['1.1.1.1', '9.9.9.9'],
      profiles: ['dev'],
    });
    expect(web.ports.map((p) => p.published)).toEqual([8080, 9229]);
    // The override's /data wins over the base's; ./conf stays. Its relative path is the first file's folder's.
    expect(web.mounts).toEqual([
      { type: 'bind', source: '/p/data-dev', target: '/data', readOnly: false },
      { type: 'bind', source: '/p/conf', target: '/conf', readOnly: true },
    ]);
    expect(Object.keys(web.dependsOn)).toEqual(['db', 'cache']);
    expect(project!.services.map((s) => s.name)).toEqual(['web', 'db', 'cache']);
  });

  it('say which file a problem is in, with its line', () => {
    const { issues } = parseCompose(
      'services:\n  web: {image: x}\n',
      base({}, [{ path: '/p/extra.yaml', text: 'services:\n  web:\n    ports: ["nope"]\n' }]),
    );
    expect(issues).toEqual([
      {
        severity: 'error',
        message: 'services.web.ports.0: "nope" is not a container port number',
        file: '/p/extra.yaml',
        path: 'services.web.ports.0',
        line: 3,
        column: 13,
      },
    ]);
  });

  it('a build path merges with the long form of another file', () => {
    expect(mergeFiles({ services: { a: { build: './app' } } }, { services: { a: { build: { target: 'dev' } } } })).toEqual({
      services: { a: { build: { context: './app', target: 'dev' } } },
    });
  });
});

describe('include', () => {
  it('adds the included project’s services, networks and volumes, its paths relative to its own folder', () => {
    const files = {
      '/p/db/compose.yaml': `
services:
  db:
    image: postgres:\${TAG}
    env_file: db.env
    volumes: [pgdata:/var/lib/postgresql/data, ./init:/docker-entrypoint-initdb.d:ro]
volumes: {pgdata: {}}
`,
    };
    const {
      project,
      issues,
      files: read,
    } = parseCompose('include: [db/compose.yaml]\nservices:\n  web: {image: w, depends_on: [db]}\n', base(files));
    expect(issues).toEqual([]);
    expect(read).toEqual(['/p/db/compose.yaml']);
    const db = project!.services.find((s) => s.name === 'db')!;
    expect(db.image).toBe('postgres:2');
    expect(db.envFiles).toEqual([{ path: '/p/db/db.env', required: true }]);
    expect(db.mounts[1]).toEqual({ type: 'bind', source: '/p/db/init', target: '/docker-entrypoint-initdb.d', readOnly: true });
    expect(project!.volumes.map((v) => v.name)).toEqual(['demo_pgdata']);
  });

  it('uses project_directory and env_file for the included file, and refuses a conflicting service', () => {
    const files = {
      '/p/lib/c.yaml': 'services:\n  x:\n    image: x:${LIBTAG}\n    build: ./src\n',
      '/p/lib/lib.env': 'LIBTAG=9\n',
    };
    const ok = parseCompose(
      'include: [{path: lib/c.yaml, project_directory: ./other, env_file: lib/lib.env}]\nservices:\n  y: {image: y}\n',
      base(files),
    );
    expect(ok.issues).toEqual([]);
    expect(ok.project!.services[1]).toMatchObject({ image: 'x:9', build: { context: '/p/other/src' } });
    const clash = parseCompose('include: [lib/c.yaml]\nservices:\n  x: {image: other}\n', base(files));
    expect(clash.issues.map((i) => i.message)).toContain('include: services "x" is defined both here and in /p/lib/c.yaml');
  });

  it('asks for the files it has not read yet, and says so for a file that cannot be read', () => {
    const pending = parseCompose('include: [a.yaml]\nservices: {w: {image: w}}\n', { ...base(), readFile: () => undefined });
    expect(pending.needs).toEqual(['/p/a.yaml']);
    expect(pending.project).toBeUndefined();
    const missing = parseCompose('include: [a.yaml]\nservices: {w: {image: w}}\n', base());
    expect(missing.issues.map((i) => [i.message, i.line])).toEqual([['/p/a.yaml cannot be read', 1]]);
  });
});

describe('extends', () => {
  it('builds a service on another of the same file, through several levels', () => {
    const { project, issues } = parseCompose(
      `
services:
  base: {image: app, environment: {A: 1}, labels: [x=1], restart: always}
  worker:
    extends: base
    environment: {B: 2}
    command: work
  urgent:
    extends: {service: worker}
    environment: {A: 9}
`,
      base(),
    );
    expect(issues).toEqual([]);
    const urgent = project!.services.find((s) => s.name === 'urgent')!;
    expect(urgent).toMatchObject({
      image: 'app',
      environment: { A: '9', B: '2' },
      labels: { x: '1' },
      command: ['work'],
      restart: { policy: 'always' },
    });
  });

  it('from another file, with that file’s relative paths', () => {
    const files = {
      '/p/common/base.yaml': 'services:\n  web:\n    build: ./web\n    volumes: [./static:/static]\n    env_file: web.env\n',
    };
    const { project, issues } = parseCompose(
      'services:\n  app:\n    extends: {file: common/base.yaml, service: web}\n    image: app:1\n',
      base(files),
    );
    expect(issues).toEqual([]);
    expect(project!.services[0]).toMatchObject({
      image: 'app:1',
      build: { context: '/p/common/web' },
      envFiles: [{ path: '/p/common/web.env', required: true }],
      mounts: [{ type: 'bind', source: '/p/common/static', target: '/static', readOnly: false }],
    });
  });

  it('refuses a loop and a service that is not there', () => {
    const loop = parseCompose('services:\n  a: {extends: b, image: x}\n  b: {extends: a}\n', base());
    expect(loop.issues[0]!.message).toBe('extends: a → b → a extend each other in a loop');
    const none = parseCompose('services:\n  a: {extends: ghost, image: x}\n', base());
    expect(none.issues.map((i) => [i.message, i.line])).toEqual([['extends: there is no service "ghost"', 2]]);
  });
});

describe('merge tags', () => {
  it('!reset drops what an earlier file set, !override replaces instead of merging', () => {
    const main = 'services:\n  web:\n    image: w\n    ports: ["8080:80"]\n    environment: {A: 1, B: 2}\n    labels: {x: "1"}\n';
    const override = 'services:\n  web:\n    ports: !reset []\n    environment: !override {C: 3}\n    labels: !reset null\n';
    const { project, issues } = parseCompose(main, base({}, [{ path: '/p/o.yaml', text: override }]));
    expect(issues).toEqual([]);
    expect(project!.services[0]).toMatchObject({ ports: [], environment: { C: '3' }, labels: {} });
  });

  it('work in a service that extends another', () => {
    const { project } = parseCompose(
      'services:\n  base: {image: b, dns: [1.1.1.1], environment: {A: 1}}\n  web:\n    extends: base\n    dns: !reset []\n    environment: !override {B: 2}\n',
      base(),
    );
    expect(project!.services[1]).toMatchObject({ dns: [], environment: { B: '2' } });
  });
});
