import type { ComposeProject } from '../../../src/main/stacks/compose/model';
import { parseCompose } from '../../../src/main/stacks/compose/parse';
import { configHash, containerName } from '../../../src/main/stacks/container-spec';
import type { Observed, ObservedContainer } from '../../../src/main/stacks/planner';

/** A project from Compose text, for tests: fails loudly when the text has errors. */
export function project(text: string, vars: Record<string, string> = {}): ComposeProject {
  const result = parseCompose(text, { lookup: (n) => vars[n], workingDir: '/stacks/demo', defaultName: 'demo' });
  if (!result.project) throw new Error(`fixture does not parse: ${JSON.stringify(result.issues)}`);
  return result.project;
}

export const THREE = `
name: demo
services:
  db:
    image: db:1
    volumes: [data:/data]
    healthcheck: {test: [CMD, check], interval: 1s, retries: 2}
  api:
    image: api:1
    ports: ["8080:80"]
    depends_on:
      db: {condition: service_healthy}
  web:
    build: ./web
    ports: ["3000:3000"]
    depends_on: [api]
volumes:
  data:
`;

/** An init job (migrate) that app waits for, and a service (tool) nothing waits on. */
export const INIT_JOB = `
services:
  migrate:
    image: m
  app:
    image: a
    depends_on:
      migrate: {condition: service_completed_successfully}
  tool:
    image: t
`;

export function nothing(): Observed {
  return { containers: [], networks: new Set(), volumes: new Set(), images: new Map(), busyPorts: [], buildProblems: new Map() };
}

/** What the engine would show after a complete launch of `p`: everything running, up to date. */
export function launched(p: ComposeProject, overrides: Partial<Record<string, Partial<ObservedContainer>>> = {}): Observed {
  return {
    containers: p.services.map((s) => ({
      id: `id-${s.name}`,
      name: containerName(p, s),
      service: s.name,
      state: 'running',
      imageId: `img-${s.image}`,
      configHash: configHash(p, s),
      ports: s.ports.map((x) => ({ hostIp: '', hostPort: x.published ?? 0, containerPort: x.target, protocol: x.protocol })),
      ...overrides[s.name],
    })),
    networks: new Set(p.networks.map((n) => n.name)),
    volumes: new Set(p.volumes.map((v) => v.name)),
    images: new Map(p.services.map((s) => [s.image, `img-${s.image}`])),
    busyPorts: [],
    buildProblems: new Map(),
  };
}
