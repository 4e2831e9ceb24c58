import { resolve } from 'node:path';
import type { Lookup } from './interpolate';
import type { YamlPath } from './locate';
import type { ComposeProject, FileObjectSpec, NetworkSpec, ServiceSpec, VolumeSpec } from './model';
import { normalizeService, type Report } from './normalize-service';
import { findCycle } from './order';
import type { RawCompose, RawService } from './schema';
import { toRecord } from './syntax';

export interface NormalizeOptions {
  lookup: Lookup;
  workingDir: string;
  homeDir?: string;
  defaultName: string;
  overrideName?: string;
}

/**
 * The merged, validated file as a project: names given (`<project>_<key>` unless `name:`), the
 * default network added where services need it, links turned into aliases, and every reference
 * between services, networks, volumes, secrets and configs checked.
 */
export function normalizeProject(raw: RawCompose, options: NormalizeOptions, error: Report, warn: Report): ComposeProject {
  const name = options.overrideName ?? raw.name ?? options.defaultName;
  const home = options.homeDir ?? '';
  const absolute = (p: string) => {
    const expanded = p === '~' ? home : p.startsWith('~/') ? `${home}${p.slice(1)}` : p;
    // Normalised too (`~/`, `a/../b`): "this computer" lists paths as the engine will see them.
    return resolve(options.workingDir, expanded);
  };
  const externalName = (external: unknown) =>
    typeof external === 'object' && external !== null ? (external as { name?: string }).name : undefined;

  const rawServices = raw.services ?? {};
  const serviceNames = Object.keys(rawServices);
  if (serviceNames.length === 0) error('The file defines no services', ['services']);

  const networks: NetworkSpec[] = Object.entries(raw.networks ?? {}).map(([key, n]) => {
    const path: YamlPath = ['networks', key];
    const spec: NetworkSpec = {
      key,
      // An external network is called by its key, unless `name:` says otherwise (Compose's rule).
      name: n?.name ?? externalName(n?.external) ?? (n?.external ? key : `${name}_${key}`),
      external: Boolean(n?.external),
      ...(n?.driver ? { driver: n.driver } : {}),
      internal: n?.internal ?? false,
      labels: toRecord(n?.labels, () => undefined),
      options: Object.fromEntries(Object.entries(n?.driver_opts ?? {}).map(([k, v]) => [k, String(v)])),
      enableIpv6: n?.enable_ipv6 ?? false,
    };
    if (n?.enable_ipv4 === false)
      error(`networks.${key}.enable_ipv4: Podman 4.3 networks always have IPv4`, [...path, 'enable_ipv4']);
    if (n?.ipam) {
      const ipam = n.ipam;
      const known = ['default', 'host-local', 'dhcp', 'none'];
      if (ipam.driver && !known.includes(ipam.driver)) {
        error(
          `networks.${key}.ipam.driver: Podman's IPAM drivers are host-local (the default), dhcp and none, not "${ipam.driver}"`,
          [...path, 'ipam', 'driver'],
        );
      }
      spec.ipam = {
        ...(ipam.driver && ipam.driver !== 'default' ? { driver: ipam.driver } : {}),
        config: (ipam.config ?? []).map((c, i) => {
          if (c.aux_addresses) {
            warn(`networks.${key}.ipam.config.${i}.aux_addresses: Podman cannot set addresses aside: ignored`, [
              ...path,
              'ipam',
              'config',
              i,
              'aux_addresses',
            ]);
          }
          if (c.ip_range && !c.subnet)
            error(`networks.${key}.ipam.config.${i}: ip_range needs a subnet`, [...path, 'ipam', 'config', i]);
          return {
            ...(c.subnet ? { subnet: c.subnet } : {}),
            ...(c.gateway ? { gateway: c.gateway } : {}),
            ...(c.ip_range ? { ipRange: c.ip_range } : {}),
          };
        }),
      };
      if (ipam.options && Object.keys(ipam.options).length > 0) {
        warn(`networks.${key}.ipam.options: Podman's IPAM drivers take no options: ignored`, [...path, 'ipam', 'options']);
      }
    }
    // attachable: every Podman network takes any container; nothing to do.
    if (spec.external && spec.driver) warn(`networks.${key}: an external network's driver is ignored`, path);
    return spec;
  });
  const volumes: VolumeSpec[] = Object.entries(raw.volumes ?? {}).map(([key, v]) => ({
    key,
    name: v?.name ?? externalName(v?.external) ?? (v?.external ? key : `${name}_${key}`),
    external: Boolean(v?.external),
    ...(v?.driver ? { driver: v.driver } : {}),
    labels: toRecord(v?.labels, () => undefined),
    options: Object.fromEntries(Object.entries(v?.driver_opts ?? {}).map(([k, val]) => [k, String(val)])),
  }));

  const fileObjects = (kind: 'secrets' | 'configs'): FileObjectSpec[] =>
    Object.entries(raw[kind] ?? {}).flatMap(([key, o]): FileObjectSpec[] => {
      const path: YamlPath = [kind, key];
      if (!o) {
        error(`${kind}.${key} needs a file, environment or content`, path);
        return [];
      }
      if (o.external) {
        error(
          `${kind}.${key}: external ${kind} live in a swarm, which Podman has none of (docker compose refuses them too): use file, environment or content`,
          [...path, 'external'],
        );
        return [];
      }
      for (const k of ['driver', 'driver_opts', 'template_driver'] as const) {
        if (o[k] !== undefined)
          error(`${kind}.${key}.${k}: ${kind} drivers are swarm-only (docker compose refuses them too)`, [...path, k]);
      }
      const given = (['file', 'environment', 'content'] as const).filter((k) => o[k] !== undefined);
      if (given.length !== 1) {
        error(`${kind}.${key} needs exactly one of file, environment or content`, path);
        return [];
      }
      if (o.file !== undefined) return [{ key, source: { kind: 'file', path: absolute(o.file) } }];
      if (o.content !== undefined) return [{ key, source: { kind: 'content', content: o.content } }];
      const value = options.lookup(o.environment!);
      return [{ key, source: { kind: 'environment', variable: o.environment!, ...(value !== undefined ? { value } : {}) } }];
    });
  const secrets = fileObjects('secrets');
  const configs = fileObjects('configs');

  const services: ServiceSpec[] = [];
  const links: { from: string; service: string; alias: string }[] = [];
  for (const serviceName of serviceNames) {
    const s = rawServices[serviceName] ?? ({} as RawService);
    const out = normalizeService(serviceName, s, {
      project: name,
      lookup: options.lookup,
      ...(options.homeDir ? { homeDir: options.homeDir } : {}),
      absolute,
      error,
      warn,
    });
    services.push(out.spec);
    for (const link of out.links) links.push({ from: serviceName, ...link });
  }

  // Compose puts every service that names no network (and shares no other's) on the default network.
  const onDefault = (s: ServiceSpec) => Object.keys(s.networks).length === 0 && !s.networkMode;
  const usesDefault = services.some(onDefault);
  for (const s of services) if (onDefault(s)) s.networks = { default: { aliases: [] } };
  if (usesDefault && !networks.some((n) => n.key === 'default')) {
    networks.push({
      key: 'default',
      name: `${name}_default`,
      external: false,
      internal: false,
      labels: {},
      options: {},
      enableIpv6: false,
    });
  }

  implicitDependencies(services, links, serviceNames, error);
  checkReferences(services, networks, volumes, { secrets, configs }, serviceNames, error);

  const cycle = findCycle(services.map((s) => ({ name: s.name, dependsOn: Object.keys(s.dependsOn) })));
  if (cycle) {
    error(`Dependency cycle: ${cycle.join(' → ')} (depends_on must not loop)`, ['services', cycle[0]!, 'depends_on']);
  }

  checkPorts(services, error);

  const extras = raw['x-poddesk'];
  return {
    name,
    services,
    networks,
    volumes,
    secrets,
    configs,
    workingDir: options.workingDir,
    ...(extras?.title ? { title: extras.title } : {}),
    ...(extras?.description ? { description: extras.description } : {}),
  };
}

/**
 * A service that shares another's network, PID or IPC namespace, mounts its volumes or links to
 * it starts after it (docker compose adds these dependencies itself); a link's alias is a name
 * the linked service answers to on the networks both are on.
 */
function implicitDependencies(
  services: ServiceSpec[],
  links: { from: string; service: string; alias: string }[],
  names: string[],
  error: Report,
): void {
  const need = (s: ServiceSpec, other: string, key: string) => {
    if (!names.includes(other)) {
      error(`Service "${s.name}" refers to service "${other}" in ${key}, which is not a service of this file`, [
        'services',
        s.name,
        key,
      ]);
      return;
    }
    if (other !== s.name) s.dependsOn[other] ??= { condition: 'service_started', required: true, restart: false };
  };
  for (const s of services) {
    if (s.networkMode?.kind === 'service') need(s, s.networkMode.service, 'network_mode');
    for (const key of ['pid', 'ipc'] as const) {
      const mode = s[key];
      if (mode?.kind === 'service') need(s, mode.service, key);
    }
    for (const v of s.volumesFrom) if (v.kind === 'service') need(s, v.name, 'volumes_from');
  }
  for (const link of links) {
    const from = services.find((s) => s.name === link.from)!;
    need(from, link.service, 'links');
    const target = services.find((s) => s.name === link.service);
    if (!target || link.alias === target.name) continue;
    for (const key of Object.keys(from.networks)) {
      const n = target.networks[key];
      if (n && !n.aliases.includes(link.alias)) n.aliases.push(link.alias);
    }
  }
}

function checkReferences(
  services: ServiceSpec[],
  networks: NetworkSpec[],
  volumes: VolumeSpec[],
  objects: { secrets: FileObjectSpec[]; configs: FileObjectSpec[] },
  serviceNames: string[],
  error: Report,
): void {
  const networkKeys = new Set(networks.map((n) => n.key));
  const volumeKeys = new Set(volumes.map((v) => v.key));
  const containerNames = new Map<string, string>();
  for (const s of services) {
    const path: YamlPath = ['services', s.name];
    for (const dep of Object.keys(s.dependsOn)) {
      if (dep === s.name) error(`Service "${s.name}" depends on itself`, [...path, 'depends_on']);
      else if (!serviceNames.includes(dep)) {
        error(`Service "${s.name}" depends on "${dep}", which is not a service of this file`, [...path, 'depends_on', dep]);
      }
    }
    for (const [key, n] of Object.entries(s.networks)) {
      if (key !== 'default' && !networkKeys.has(key)) {
        error(`Service "${s.name}" uses network "${key}", which is not declared under the top-level "networks"`, [
          ...path,
          'networks',
        ]);
      }
      const network = networks.find((x) => x.key === key);
      if ((n.ipv4Address || n.ipv6Address) && network && !network.external && !network.ipam?.config.some((c) => c.subnet)) {
        error(
          `Service "${s.name}" asks for a fixed address on network "${key}", which declares no subnet: add ipam.config with a subnet that holds it`,
          [...path, 'networks', key],
        );
      }
    }
    s.mounts.forEach((m, i) => {
      if (m.type === 'volume' && m.source && !volumeKeys.has(m.source)) {
        error(`Service "${s.name}" uses volume "${m.source}", which is not declared under the top-level "volumes"`, [
          ...path,
          'volumes',
          i,
        ]);
      }
    });
    for (const kind of ['secrets', 'configs'] as const) {
      s[kind].forEach((m, i) => {
        if (!objects[kind].some((o) => o.key === m.source)) {
          error(
            `Service "${s.name}" uses ${kind.slice(0, -1)} "${m.source}", which is not declared under the top-level "${kind}"`,
            [...path, kind, i],
          );
        }
      });
    }
    (s.build?.secrets ?? []).forEach((b, i) => {
      if (!objects.secrets.some((o) => o.key === b.source)) {
        error(`Service "${s.name}" builds with secret "${b.source}", which is not declared under the top-level "secrets"`, [
          ...path,
          'build',
          'secrets',
          i,
        ]);
      }
    });
    if (s.containerName) {
      const other = containerNames.get(s.containerName);
      if (other)
        error(`Services "${other}" and "${s.name}" both use container_name "${s.containerName}"`, [...path, 'container_name']);
      containerNames.set(s.containerName, s.name);
    }
    if (s.extras.open?.port !== undefined && !s.ports.some((p) => p.target === s.extras.open!.port)) {
      error(`x-poddesk.open.port ${s.extras.open.port} is not one of the service's ports`, [...path, 'x-poddesk', 'open']);
    }
  }
}

/**
 * Two services publishing one host port can never both run, unless profiles keep them apart: for
 * those, the plan checks the services a launch actually starts.
 */
function checkPorts(services: ServiceSpec[], error: Report): void {
  const taken = new Map<string, ServiceSpec>();
  const together = (a: ServiceSpec, b: ServiceSpec) =>
    (a.profiles.length === 0 && b.profiles.length === 0) || a.profiles.some((p) => b.profiles.includes(p));
  for (const s of services) {
    s.ports.forEach((p, i) => {
      if (p.published === undefined) return;
      const key = `${p.published}/${p.protocol}`;
      const other = taken.get(key)?.name;
      if (other && together(taken.get(key)!, s)) {
        error(`Host port ${p.published}/${p.protocol} is published by both "${other}" and "${s.name}"`, [
          'services',
          s.name,
          'ports',
          i,
        ]);
      }
      if (!taken.has(key)) taken.set(key, s);
    });
  }
}
