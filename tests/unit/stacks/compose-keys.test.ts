import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../../../src/main/stacks/compose/parse';
import { configHash, filesToCopy, gpuDevices, toSpecGenerator } from '../../../src/main/stacks/container-spec';
import { project } from './fixtures';

/**
 * Every Compose key PodDesk applies, from the file to the libpod SpecGenerator field Podman 4.3
 * reads, and every key it cannot apply, refused or warned about with what happens instead.
 */
const one = (service: string, extra = '', vars: Record<string, string> = {}) => {
  const p = project(`name: shop\nservices:\n  web:\n    image: web:1\n${service.replace(/^/gm, '    ')}\n${extra}`, vars);
  return { p, s: p.services[0]!, spec: toSpecGenerator(p, p.services[0]!, { stackId: 'shop' }) };
};

const issues = (text: string, vars: Record<string, string> = {}) =>
  parseCompose(text, { lookup: (n) => vars[n], workingDir: '/stacks/demo', defaultName: 'demo' }).issues.map((i) => [
    i.severity,
    i.message,
    i.line,
  ]);

describe('service keys as a SpecGenerator', () => {
  it('privileges: cap_add, cap_drop, privileged, read_only, group_add, security_opt', () => {
    const { spec } = one(
      [
        'cap_add: [net_admin, CAP_SYS_TIME, ALL]',
        'cap_drop: [MKNOD]',
        'privileged: "true"',
        'read_only: true',
        'group_add: [video, 100]',
        'security_opt: [no-new-privileges:true, "label=type:svirt_t", "label:disable", "apparmor=unconfined", "seccomp=unconfined", "systempaths=unconfined", "mask=/proc/acpi"]',
      ].join('\n'),
    );
    expect(spec).toMatchObject({
      cap_add: ['CAP_NET_ADMIN', 'CAP_SYS_TIME', 'ALL'],
      cap_drop: ['CAP_MKNOD'],
      privileged: true,
      read_only_filesystem: true,
      groups: ['video', '100'],
      no_new_privileges: true,
      selinux_opts: ['type:svirt_t', 'disable'],
      apparmor_profile: 'unconfined',
      seccomp_profile_path: 'unconfined',
      unmask: ['ALL'],
      mask: ['/proc/acpi'],
    });
  });

  it('a seccomp profile is a path of the stack, made absolute', () => {
    expect(one('security_opt: ["seccomp=./profile.json"]').spec.seccomp_profile_path).toBe('/stacks/demo/profile.json');
  });

  it('kernel and process limits: sysctls, ulimits, shm_size, init, pids_limit, oom', () => {
    const { spec } = one(
      [
        'sysctls: [net.core.somaxconn=1024, "net.ipv4.tcp_syncookies=0"]',
        'ulimits: {nofile: {soft: 20000, hard: 40000}, nproc: 65535}',
        'shm_size: 256m',
        'init: true',
        'pids_limit: 100',
        'oom_score_adj: -500',
        'oom_kill_disable: true',
      ].join('\n'),
    );
    expect(spec).toMatchObject({
      sysctl: { 'net.core.somaxconn': '1024', 'net.ipv4.tcp_syncookies': '0' },
      // Podman adds RLIMIT_ itself.
      r_limits: [
        { type: 'nofile', soft: 20000, hard: 40000 },
        { type: 'nproc', soft: 65535, hard: 65535 },
      ],
      shm_size: 256 * 1024 * 1024,
      init: true,
      oom_score_adj: -500,
      resource_limits: { pids: { limit: 100 }, memory: { disableOOMKiller: true } },
    });
  });

  it('memory and CPU: mem_limit, memswap_limit, mem_reservation, cpus, cpu_shares, cpuset, cpu_quota/period, realtime', () => {
    const { spec } = one(
      [
        'mem_limit: 1g',
        'memswap_limit: 2g',
        'mem_reservation: 512m',
        'mem_swappiness: 10',
        'cpus: 1.5',
        'cpu_shares: 512',
        'cpuset: "0,1"',
        'cpu_rt_period: 1000000',
        'cpu_rt_runtime: 950ms',
      ].join('\n'),
    );
    expect(spec.resource_limits).toEqual({
      memory: { limit: 1024 ** 3, swap: 2 * 1024 ** 3, reservation: 512 * 1024 ** 2, swappiness: 10 },
      // --cpus 1.5 is a CFS quota of 150 ms every 100 ms, as the podman CLI sets it.
      cpu: { shares: 512, quota: 150_000, period: 100_000, realtimePeriod: 1_000_000, realtimeRuntime: 950_000, cpus: '0,1' },
    });
    expect(one('memswap_limit: -1').spec.resource_limits).toEqual({ memory: { swap: -1 } });
    expect(one('cpu_quota: 50000\ncpu_period: 100000').spec.resource_limits).toEqual({ cpu: { quota: 50000, period: 100000 } });
  });

  it('deploy.resources limits win over the service keys; reservations set memory and GPUs', () => {
    const { s, spec } = one(
      [
        'cpus: 4',
        'mem_limit: 4g',
        'deploy:',
        '  resources:',
        '    limits: {cpus: "0.5", memory: 256M, pids: 64}',
        '    reservations:',
        '      memory: 128m',
        '      devices: [{driver: nvidia, count: 1, capabilities: [gpu]}]',
      ].join('\n'),
    );
    expect(spec.resource_limits).toEqual({
      memory: { limit: 256 * 1024 ** 2, reservation: 128 * 1024 ** 2 },
      cpu: { quota: 50_000, period: 100_000 },
      pids: { limit: 64 },
    });
    expect(s.gpus).toEqual([{ driver: 'nvidia', count: 1, deviceIds: [] }]);
    expect(spec.devices).toEqual([{ path: 'nvidia.com/gpu=0' }]);
  });

  it('block IO: weight, per-device weight and throttles', () => {
    const { spec } = one(
      [
        'blkio_config:',
        '  weight: 300',
        '  weight_device: [{path: /dev/sda, weight: 400}]',
        '  device_read_bps: [{path: /dev/sda, rate: 12mb}]',
        '  device_write_iops: [{path: /dev/sda, rate: 120}]',
      ].join('\n'),
    );
    expect(spec).toMatchObject({
      resource_limits: { blockIO: { weight: 300 } },
      weightDevice: { '/dev/sda': { weight: 400 } },
      throttleReadBpsDevice: { '/dev/sda': { rate: 12 * 1024 ** 2 } },
      throttleWriteIOPSDevice: { '/dev/sda': { rate: 120 } },
    });
  });

  it('name resolution: extra_hosts (list and mapping), dns, dns_search, dns_opt', () => {
    const list = one(
      'extra_hosts: ["db:10.0.0.2", "v6=[::1]", "gw:host-gateway"]\ndns: 9.9.9.9\ndns_search: [corp.example]\ndns_opt: [ndots:2]',
    );
    expect(list.spec).toMatchObject({
      hostadd: ['db:10.0.0.2', 'v6:::1', 'gw:host-gateway'],
      dns_server: ['9.9.9.9'],
      dns_search: ['corp.example'],
      dns_option: ['ndots:2'],
    });
    expect(one('extra_hosts: {db: 10.0.0.2, multi: [10.0.0.3, 10.0.0.4]}').spec.hostadd).toEqual([
      'db:10.0.0.2',
      'multi:10.0.0.3',
      'multi:10.0.0.4',
    ]);
  });

  it('tmpfs at service level, with size and mode; volumes: propagation, nocopy, tmpfs options, image mounts', () => {
    const { spec } = one(
      [
        'tmpfs: ["/run:size=64m,mode=1777", /cache]',
        'volumes:',
        '  - {type: bind, source: ./data, target: /data, bind: {propagation: rslave}}',
        '  - {type: volume, source: v, target: /v, volume: {nocopy: true}}',
        '  - {type: tmpfs, target: /scratch, tmpfs: {size: 1048576, mode: 0700}}',
        '  - {type: image, source: "docker.io/library/alpine:3", target: /opt/alpine}',
      ].join('\n'),
      'volumes:\n  v: {}\n',
    );
    expect(spec.mounts).toEqual([
      { destination: '/data', type: 'bind', source: '/stacks/demo/data', options: ['rbind', 'rw', 'rslave'] },
      { destination: '/scratch', type: 'tmpfs', source: 'tmpfs', options: ['size=1048576', 'mode=700'] },
      { destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['size=67108864', 'mode=1777'] },
      { destination: '/cache', type: 'tmpfs', source: 'tmpfs', options: [] },
    ]);
    expect(spec.volumes).toEqual([{ Name: 'shop_v', Dest: '/v', Options: ['nocopy'] }]);
    expect(spec.image_volumes).toEqual([{ source: 'docker.io/library/alpine:3', destination: '/opt/alpine', rw: false }]);
  });

  it('namespaces: pid, ipc, uts, cgroup, userns_mode; a service: mode joins its first container and starts after it', () => {
    const p = project(`
name: shop
services:
  db: {image: db}
  tool:
    image: t
    pid: "service:db"
    ipc: host
    uts: host
    cgroup: private
    userns_mode: keep-id
  probe:
    image: p
    network_mode: "service:db"
    ipc: shareable
`);
    const [, tool, probe] = p.services as [never, (typeof p.services)[0], (typeof p.services)[0]];
    expect(toSpecGenerator(p, tool, { stackId: 'shop' })).toMatchObject({
      pidns: { nsmode: 'container', value: 'shop-db-1' },
      ipcns: { nsmode: 'host' },
      utsns: { nsmode: 'host' },
      cgroupns: { nsmode: 'private' },
      userns: { nsmode: 'keep-id' },
    });
    const probeSpec = toSpecGenerator(p, probe, { stackId: 'shop' });
    expect(probeSpec).toMatchObject({ netns: { nsmode: 'container', value: 'shop-db-1' }, ipcns: { nsmode: 'shareable' } });
    // It joins no Compose network of its own.
    expect(probeSpec.Networks).toBeUndefined();
    expect(probe.networks).toEqual({});
    expect(Object.keys(tool.dependsOn)).toEqual(['db']);
    expect(Object.keys(probe.dependsOn)).toEqual(['db']);
  });

  it('network_mode host, none, container: and Podman own modes', () => {
    expect(one('network_mode: host').spec.netns).toEqual({ nsmode: 'host' });
    expect(one('network_mode: none').spec.netns).toEqual({ nsmode: 'none' });
    expect(one('network_mode: "container:other-ctr"').spec.netns).toEqual({ nsmode: 'container', value: 'other-ctr' });
    expect(one('network_mode: "slirp4netns:port_handler=slirp4netns"').spec).toMatchObject({
      netns: { nsmode: 'slirp4netns' },
      network_options: { slirp4netns: ['port_handler=slirp4netns'] },
    });
    expect(one('network_mode: bridge').spec.netns).toEqual({ nsmode: 'bridge' });
  });

  it('networks: fixed addresses, a MAC address, interface names, and priority choosing eth0', () => {
    const p = project(`
name: shop
services:
  web:
    image: w
    mac_address: "02:42:ac:11:00:02"
    networks:
      back: {ipv4_address: 172.28.5.10, ipv6_address: "fd00::10", priority: 10}
      front: {aliases: [www], priority: 100}
networks:
  front: {}
  back:
    enable_ipv6: true
    ipam:
      config: [{subnet: 172.28.5.0/24}, {subnet: "fd00::/64"}]
`);
    expect(toSpecGenerator(p, p.services[0]!, { stackId: 'shop' }).Networks).toEqual({
      shop_front: { aliases: ['web', 'www'], static_mac: '02:42:ac:11:00:02', interface_name: 'eth0' },
      shop_back: { aliases: ['web'], static_ips: ['172.28.5.10', 'fd00::10'], interface_name: 'eth1' },
    });
    expect(Object.keys(toSpecGenerator(p, p.services[0]!, { stackId: 'shop' }).Networks as object)).toEqual([
      'shop_front',
      'shop_back',
    ]);
  });

  it('logging: Podman’s drivers, max-size as a size, tag; json-file and local write Podman’s k8s-file', () => {
    expect(one('logging: {driver: json-file, options: {max-size: 10m, tag: web}}').spec.log_configuration).toEqual({
      driver: 'k8s-file',
      size: 10 * 1024 ** 2,
      options: { tag: 'web' },
    });
    expect(one('logging: {driver: journald}').spec.log_configuration).toEqual({ driver: 'journald' });
    expect(one('logging: {driver: none}').spec.log_configuration).toEqual({ driver: 'none' });
  });

  it('runtime, annotations, storage_opt, cgroup_parent, device_cgroup_rules, devices (short and long), expose', () => {
    const { spec } = one(
      [
        'runtime: crun',
        'annotations: [io.example.x=1]',
        'storage_opt: {size: 10G}',
        'cgroup_parent: my.slice',
        'device_cgroup_rules: ["c 1:3 mr", "a *:* rwm"]',
        'devices: ["/dev/fuse", {source: /dev/snd, target: /dev/sound, permissions: rw}, "vendor.com/device=thing"]',
        'expose: ["8080", "9000-9001/udp"]',
      ].join('\n'),
    );
    expect(spec).toMatchObject({
      oci_runtime: 'crun',
      annotations: { 'io.example.x': '1' },
      storage_opts: { size: '10G' },
      cgroup_parent: 'my.slice',
      device_cgroup_rule: [
        { allow: true, type: 'c', major: 1, minor: 3, access: 'mr' },
        { allow: true, type: 'a', access: 'rwm' },
      ],
      devices: [{ path: '/dev/fuse' }, { path: '/dev/snd:/dev/sound:rw' }, { path: 'vendor.com/device=thing' }],
      expose: { 8080: 'tcp', 9000: 'udp', 9001: 'udp' },
    });
  });

  it('volumes_from another service (started first) or a container, with ro', () => {
    const p = project(`
name: shop
services:
  data: {image: d}
  app:
    image: a
    volumes_from: ["data:ro", "container:backup"]
`);
    const app = p.services[1]!;
    expect(toSpecGenerator(p, app, { stackId: 'shop' }).volumes_from).toEqual(['shop-data-1:ro', 'backup']);
    expect(Object.keys(app.dependsOn)).toEqual(['data']);
  });

  it('links become aliases of the linked service on the networks both are on, and a dependency', () => {
    const p = project(`
name: shop
services:
  db: {image: d}
  app: {image: a, links: ["db:database"]}
`);
    expect(p.services[0]!.networks.default!.aliases).toEqual(['database']);
    expect(Object.keys(p.services[1]!.dependsOn)).toEqual(['db']);
  });

  it('restart from deploy.restart_policy wins, as in docker compose', () => {
    expect(one('restart: always\ndeploy: {restart_policy: {condition: on-failure, max_attempts: 3}}').spec).toMatchObject({
      restart_policy: 'on-failure',
      restart_tries: 3,
    });
    expect(one('deploy: {restart_policy: {condition: any}}').spec.restart_policy).toBe('always');
    expect(one('deploy: {restart_policy: {condition: none}}').spec.restart_policy).toBe('no');
  });

  it('replicas: deploy.replicas or scale; containers <project>-<service>-<n>, numbered in their label', () => {
    const { p, s } = one('deploy: {replicas: 3}');
    expect(s.replicas).toBe(3);
    const third = toSpecGenerator(p, s, { stackId: 'shop', replica: 3 });
    expect(third.name).toBe('shop-web-3');
    expect((third.labels as Record<string, string>)['com.docker.compose.container-number']).toBe('3');
    expect(one('scale: 2').s.replicas).toBe(2);
    expect(one('scale: 0').s.replicas).toBe(0);
  });

  it('pull_policy, platform, profiles', () => {
    expect(one('pull_policy: if_not_present').s.pullPolicy).toBe('missing');
    expect(one('pull_policy: always').s.pullPolicy).toBe('always');
    expect(one('platform: linux/arm64').s.platform).toBe('linux/arm64');
    expect(one('profiles: [debug, tools]').s.profiles).toEqual(['debug', 'tools']);
  });

  it('gpus: all, or a count, or device ids, as CDI devices', () => {
    expect(one('gpus: all').spec.devices).toEqual([{ path: 'nvidia.com/gpu=all' }]);
    expect(gpuDevices([{ driver: 'nvidia', count: 2, deviceIds: [] }])).toEqual(['nvidia.com/gpu=0', 'nvidia.com/gpu=1']);
    expect(one('gpus: [{driver: nvidia, device_ids: ["1", GPU-abc]}]').spec.devices).toEqual([
      { path: 'nvidia.com/gpu=1' },
      { path: 'nvidia.com/gpu=GPU-abc' },
    ]);
    expect(one('gpus: [{driver: amd, count: all}]').spec.devices).toEqual([{ path: 'amd.com/gpu=all' }]);
  });
});

describe('secrets and configs', () => {
  const text = `
name: shop
services:
  web:
    image: w
    user: "1000"
    secrets:
      - db_password
      - {source: api_key, target: api.key, uid: "1000", gid: "1000", mode: 0440}
    configs:
      - app_conf
      - {source: inline_conf, target: /etc/app/inline.conf, mode: "0400"}
      - {source: env_conf, target: relative.conf}
secrets:
  db_password: {file: ./secrets/db.txt}
  api_key: {environment: API_KEY}
configs:
  app_conf: {file: conf/app.ini}
  inline_conf: {content: "a = 1"}
  env_conf: {environment: CONF}
`;
  const p = project(text, { API_KEY: 'k-123', CONF: 'x=1' });
  const web = p.services[0]!;

  it('file sources are bind-mounted read-only at /run/secrets/<name> and, for configs, at /<name>', () => {
    const spec = toSpecGenerator(p, web, { stackId: 'shop' });
    expect((spec.mounts as unknown[]).slice(-2)).toEqual([
      { destination: '/run/secrets/db_password', type: 'bind', source: '/stacks/demo/secrets/db.txt', options: ['rbind', 'ro'] },
      { destination: '/app_conf', type: 'bind', source: '/stacks/demo/conf/app.ini', options: ['rbind', 'ro'] },
    ]);
  });

  it('environment and content sources are written in before start, with target, mode and owner (0444 root by default)', () => {
    expect(filesToCopy(p, web, false)).toEqual([
      { target: '/run/secrets/api.key', mode: 0o440, uid: 1000, gid: 1000, content: { text: 'k-123' } },
      { target: '/etc/app/inline.conf', mode: 0o400, uid: 0, gid: 0, content: { text: 'a = 1' } },
      { target: '/relative.conf', mode: 0o444, uid: 0, gid: 0, content: { text: 'x=1' } },
    ]);
  });

  it('for a remote engine, file sources are copied in too (the engine cannot see this computer’s files)', () => {
    const spec = toSpecGenerator(p, web, { stackId: 'shop', remoteEngine: true });
    expect(spec.mounts).toEqual([]);
    expect(filesToCopy(p, web, true).map((f) => [f.target, f.content])).toEqual([
      ['/run/secrets/db_password', { file: '/stacks/demo/secrets/db.txt' }],
      ['/run/secrets/api.key', { text: 'k-123' }],
      ['/app_conf', { file: '/stacks/demo/conf/app.ini' }],
      ['/etc/app/inline.conf', { text: 'a = 1' }],
      ['/relative.conf', { text: 'x=1' }],
    ]);
  });

  it('a changed secret value recreates the container; the hash of a file without the new keys is unchanged', () => {
    const other = project(text, { API_KEY: 'k-456', CONF: 'x=1' });
    expect(configHash(other, other.services[0]!)).not.toBe(configHash(p, web));
    // A file with none of the new keys keeps the hash its containers were made with before
    // (the fields hashed then, in their order): upgrading PodDesk recreates nothing.
    const plain = project('name: shop\nservices:\n  web: {image: w, ports: ["80"], environment: {B: 2, A: 1}}\n');
    const s = plain.services[0]!;
    const before = {
      image: 'w',
      environment: { A: '1', B: '2' },
      ports: s.ports,
      mounts: [],
      networks: { shop_default: [] },
      labels: {},
      tty: false,
      stdinOpen: false,
      devices: [],
    };
    expect(configHash(plain, s)).toBe(createHash('sha256').update(JSON.stringify(before)).digest('hex'));
  });

  it('refuses external, driver-backed and undeclared ones, and an environment source left unset', () => {
    expect(
      issues(`
services:
  web: {image: w, secrets: [nope, ext]}
secrets:
  ext: {external: true}
  drv: {file: ./x, driver: vault}
  unset: {environment: MISSING}
`).filter(([s]) => s === 'error'),
    ).toEqual([
      [
        'error',
        'secrets.ext: external secrets live in a swarm, which Podman has none of (docker compose refuses them too): use file, environment or content',
        5,
      ],
      ['error', 'secrets.drv.driver: secrets drivers are swarm-only (docker compose refuses them too)', 6],
      ['error', 'Service "web" uses secret "nope", which is not declared under the top-level "secrets"', 3],
      ['error', 'Service "web" uses secret "ext", which is not declared under the top-level "secrets"', 3],
    ]);
  });
});

describe('build keys', () => {
  it('target, platform, labels, network, extra_hosts, secrets, no_cache, pull, shm_size, tags, ulimits, dockerfile_inline', () => {
    const { s } = one(
      [
        'build:',
        '  context: ./app',
        '  dockerfile_inline: |',
        '    FROM busybox',
        '  target: dev',
        '  platforms: [linux/arm64]',
        '  labels: {org.example.team: shop}',
        '  network: none',
        '  extra_hosts: ["mirror:10.0.0.9"]',
        '  secrets: [npm_token, {source: npm_token, target: token2}]',
        '  no_cache: true',
        '  pull: true',
        '  shm_size: 128m',
        '  tags: ["registry.local/web:dev"]',
        '  ulimits: {nofile: 4096}',
      ].join('\n'),
      'secrets:\n  npm_token: {environment: NPM_TOKEN}\n',
      { NPM_TOKEN: 't' },
    );
    expect(s.build).toEqual({
      context: '/stacks/demo/app',
      inline: 'FROM busybox\n',
      args: {},
      target: 'dev',
      platform: 'linux/arm64',
      labels: { 'org.example.team': 'shop' },
      network: 'none',
      extraHosts: ['mirror:10.0.0.9'],
      secrets: [
        { source: 'npm_token', id: 'npm_token' },
        { source: 'npm_token', id: 'token2' },
      ],
      noCache: true,
      pull: true,
      shmSize: 128 * 1024 ** 2,
      tags: ['registry.local/web:dev'],
      ulimits: [{ name: 'nofile', soft: 4096, hard: 4096 }],
    });
  });

  it('the service platform builds the image too', () => {
    expect(one('build: .\nplatform: linux/amd64').s.build?.platform).toBe('linux/amd64');
  });

  it('refuses what Podman’s build API cannot take, and says what cache_from does there', () => {
    expect(
      issues(`
services:
  web:
    build:
      context: .
      ssh: [default]
      additional_contexts: {x: ../x}
      network: mynet
      platforms: [linux/amd64, linux/arm64]
      cache_from: [type=registry,ref=x]
`),
    ).toEqual([
      [
        'error',
        'services.web.build.ssh is not supported by PodDesk: Podman 4.3’s build API takes no SSH agent or keys: build the image with `podman build --ssh` in a terminal, or hand the build what it needs with build.secrets',
        6,
      ],
      [
        'error',
        'services.web.build.additional_contexts is not supported by PodDesk: Podman 4.3’s build API takes a single build context: copy what the build needs into it',
        7,
      ],
      [
        'error',
        'build.platforms: Podman 4.3 builds one platform per image through its API (a multi-platform manifest is not made): list one',
        9,
      ],
      [
        'error',
        "build.network: \"mynet\": Podman's build API runs the build's RUN steps on the host's network or on none; it cannot join a Compose network",
        8,
      ],
      [
        'warning',
        "services.web.build.cache_from: Podman 4.3's build API does not take cache sources: the build reuses this engine's own layers only",
        10,
      ],
    ]);
  });
});

describe('top-level networks and volumes', () => {
  it('ipam (driver, subnet, gateway, ip_range), enable_ipv6, internal, attachable, driver_opts, labels', () => {
    const p = project(`
services: {a: {image: x, networks: [back]}}
networks:
  back:
    driver: bridge
    internal: true
    attachable: true
    enable_ipv6: true
    driver_opts: {com.docker.network.bridge.name: br-back, mtu: 1400}
    labels: [team=shop]
    ipam:
      driver: default
      config:
        - {subnet: 172.28.0.0/16, gateway: 172.28.0.1, ip_range: 172.28.5.0/24}
        - {subnet: "fd00:28::/64"}
volumes:
  data:
    driver_opts: {type: tmpfs, device: tmpfs, o: "size=100m"}
`);
    expect(p.networks[0]).toEqual({
      key: 'back',
      name: 'demo_back',
      external: false,
      driver: 'bridge',
      internal: true,
      labels: { team: 'shop' },
      options: { 'com.docker.network.bridge.name': 'br-back', mtu: '1400' },
      enableIpv6: true,
      ipam: {
        config: [{ subnet: '172.28.0.0/16', gateway: '172.28.0.1', ipRange: '172.28.5.0/24' }, { subnet: 'fd00:28::/64' }],
      },
    });
    expect(p.volumes[0]!.options).toEqual({ type: 'tmpfs', device: 'tmpfs', o: 'size=100m' });
  });

  it('refuses an IPAM driver Podman lacks and a fixed address on a network without a subnet; warns about aux_addresses', () => {
    expect(
      issues(`
services:
  a:
    image: x
    networks: {n: {ipv4_address: 10.1.0.5}}
networks:
  n:
    ipam:
      driver: weird
      config: [{aux_addresses: {router: 10.1.0.2}}]
`),
    ).toEqual([
      ['error', 'networks.n.ipam.driver: Podman\'s IPAM drivers are host-local (the default), dhcp and none, not "weird"', 9],
      ['warning', 'networks.n.ipam.config.0.aux_addresses: Podman cannot set addresses aside: ignored', 10],
      [
        'error',
        'Service "a" asks for a fixed address on network "n", which declares no subnet: add ipam.config with a subnet that holds it',
        5,
      ],
    ]);
  });
});

describe('keys that stay unsupported: one precise message each', () => {
  it('refuses what would run something else, warns about what changes nothing that runs', () => {
    expect(
      issues(`
services:
  web:
    image: x
    develop: {watch: []}
    post_start: [{command: ./init.sh}]
    pre_stop: [{command: ./drain.sh}]
    external_links: [redis]
    use_api_socket: true
    domainname: example.org
    cpu_count: 2
    deploy:
      mode: global
      placement: {constraints: [node.role==manager]}
      update_config: {parallelism: 2}
      resources: {reservations: {cpus: "1", devices: [{capabilities: [tpu]}]}}
      restart_policy: {condition: on-failure, delay: 5s}
    logging: {driver: syslog}
    volumes: [{type: volume, source: v, target: /v, volume: {subpath: sub}}]
volumes: {v: {}}
`),
    ).toEqual([
      [
        'warning',
        expect.stringMatching(/^services\.web\.develop is not supported by PodDesk and is ignored: PodDesk does not watch/),
        5,
      ],
      [
        'error',
        expect.stringMatching(/^services\.web\.post_start is not supported by PodDesk: PodDesk does not run post_start/),
        6,
      ],
      [
        'warning',
        expect.stringMatching(/^services\.web\.pre_stop is not supported .* the container gets its stop signal directly$/),
        7,
      ],
      [
        'error',
        expect.stringMatching(/^services\.web\.external_links is not supported by PodDesk: links to containers outside/),
        8,
      ],
      [
        'error',
        expect.stringMatching(
          /^services\.web\.use_api_socket is not supported by PodDesk: PodDesk does not hand the engine’s socket/,
        ),
        9,
      ],
      ['warning', expect.stringMatching(/^services\.web\.domainname .* Podman 4\.3 cannot set a container’s domain name/), 10],
      ['warning', expect.stringMatching(/^services\.web\.cpu_count .* Windows containers only/), 11],
      [
        'error',
        'services.web.volumes.0: Podman 4.3 cannot mount part of a volume (volume.subpath): mount the whole volume, or bind-mount the folder',
        19,
      ],
      ['warning', 'services.web.deploy.mode: global runs one container per swarm node; on this engine that is one container', 13],
      ['warning', 'services.web.deploy.placement is swarm-only: ignored, as docker compose ignores it outside swarm', 14],
      ['warning', 'services.web.deploy.update_config is swarm-only: ignored, as docker compose ignores it outside swarm', 15],
      [
        'warning',
        'services.web.deploy.resources.reservations.cpus is swarm-only: ignored, as docker compose ignores it outside swarm',
        16,
      ],
      [
        'error',
        'services.web.deploy.resources.reservations.devices.0: only GPU reservations (capabilities: [gpu]) can be applied; for another device, list it under devices',
        16,
      ],
      ['warning', 'services.web.deploy.restart_policy.delay: Podman restarts a container right away: ignored', 17],
      [
        'error',
        'logging.driver: Podman 4.3 writes logs with k8s-file (json-file), journald, passthrough or none; "syslog" is not available',
        18,
      ],
    ]);
  });

  it('refuses replicas that cannot all run: a container_name, a fixed host port; scale and replicas that differ', () => {
    expect(issues('services:\n  a: {image: x, container_name: a, deploy: {replicas: 2}}\n')[0]?.[1]).toMatch(
      /container_name and 2 replicas/,
    );
    expect(issues('services:\n  a: {image: x, ports: ["8080:80"], scale: 2}\n')[0]?.[1]).toMatch(
      /fixed host port and has 2 replicas/,
    );
    expect(issues('services:\n  a: {image: x, scale: 2, deploy: {replicas: 3}}\n')[0]?.[1]).toMatch(
      /scale \(2\) and deploy\.replicas \(3\) differ/,
    );
  });

  it('refuses network_mode with networks, and published ports on another container’s network', () => {
    const found = issues(
      'services:\n  a: {image: x}\n  b: {image: y, network_mode: "service:a", networks: [default], ports: ["80"]}\n',
    );
    expect(found.map(([, m]) => m)).toEqual([
      'Service "b" has both network_mode and networks: a container that uses another network mode joins no Compose network',
      'Service "b" publishes ports but uses network_mode: service:a: publish them on the service whose network it shares',
    ]);
  });

  it('reads a leading-zero number as octal, as Compose’s YAML reader does (mode: 0440)', () => {
    expect(one('secrets: [{source: s, mode: 0440}]', 'secrets:\n  s: {content: x}\n').s.secrets[0]!.mode).toBe(0o440);
  });
});
