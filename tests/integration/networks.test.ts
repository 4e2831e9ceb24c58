import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { NetworkSummary } from '../../src/shared/contract';
import { connectedApp, settingsPastVolumeStep, uniqueName } from '../support/app';
import { podman, waitFor } from '../support/podman';
import { callError, callOk } from '../support/streams';

const info = inject('podman');
let app: App;

beforeAll(async () => {
  app = await connectedApp(info);
  // As the Networks page does: the wiring is followed while someone watches it.
  app.networking.watchWiring(() => undefined);
});
afterAll(async () => {
  await app?.close();
});

const networkNames = async () => (await podman(info, 'network', 'ls', '--format', '{{.Name}}')).split('\n');
const wiringOf = (name: string) => app.networking.wiring.items().find((w) => w.name === name);
/** A free /24 in 10.2xx: these tests never collide with the default pools of setup. */
const subnet = () => `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}.0/24`;

describe('networks', () => {
  it('costs container events nothing for the wiring while nobody watches it', async () => {
    // Nobody: no page, and no first-hour tracker (it watches while the volume step is open).
    const quiet = await connectedApp(info, { settings: settingsPastVolumeStep(info) });
    try {
      const engine = quiet.connection.engine();
      // Full compat lists only: a filtered list is how one container is fetched after its event,
      // and a late event of the `run` below may land after the watcher starts.
      const compatLists = () =>
        engine.recent.filter(
          (r) => r.method === 'GET' && r.path.endsWith('/containers/json') && !r.path.includes('libpod') && !r.query?.filters,
        ).length;
      const name = uniqueName('quiet');
      await podman(info, 'run', '--name', name, info.busybox, 'true');
      await waitFor(() => quiet.containers.items().some((c) => c.name === name && c.state === 'exited'), 'the container');
      expect(compatLists()).toBe(0);
      // A watcher loads it once and follows from there.
      const seen: string[] = [];
      const unwatch = quiet.networking.watchWiring((change) => {
        if (change.type === 'upsert') seen.push(change.item.name);
      });
      await waitFor(() => quiet.networking.wiring.items().some((w) => w.name === name), 'the wiring to load');
      expect(compatLists()).toBe(1);
      await podman(info, 'start', name);
      await waitFor(() => seen.includes(name), 'the start to reach the wiring');
      unwatch();
      await podman(info, 'rm', '-f', name);
    } finally {
      await quiet.close();
    }
  });

  it('lists the default network with its subnet and gateway', async () => {
    const list = await callOk<NetworkSummary[]>(app, 'networks.list');
    const podmanNet = list.find((n) => n.name === 'podman');
    expect(podmanNet).toMatchObject({ driver: 'bridge', isDefault: true });
    expect(podmanNet!.subnets[0]!.subnet).toMatch(/^10\.\d+\.\d+\.0\/24$/);
    expect(podmanNet!.subnets[0]!.gateway).toMatch(/^10\./);
  });

  it('creates a bridge network with subnet, gateway, range, internal and labels', async () => {
    const name = uniqueName('net');
    const block = subnet();
    const base = block.slice(0, block.lastIndexOf('.'));
    const created = await callOk<NetworkSummary>(app, 'networks.create', {
      name,
      subnets: [{ subnet: block, gateway: `${base}.1`, range: `${base}.128/25` }],
      internal: true,
      labels: { purpose: 'test' },
    });
    expect(created).toMatchObject({
      name,
      driver: 'bridge',
      internal: true,
      dnsEnabled: true,
      labels: { purpose: 'test' },
      // A CIDR range starts after its network address, as `podman network create --ip-range` reads it.
      subnets: [{ subnet: block, gateway: `${base}.1`, range: { start: `${base}.129`, end: `${base}.255` } }],
    });
    expect(await networkNames()).toContain(name);
    expect(app.networking.networks.get(name)).toBeDefined();
    await callOk(app, 'networks.remove', { name });
    expect(await networkNames()).not.toContain(name);
    expect(app.networking.networks.get(name)).toBeUndefined();
  });

  it('creates a dual-stack network with DNS off, and says plainly when this Podman cannot set DNS servers', async () => {
    const name = uniqueName('dual');
    const v4 = subnet();
    const hex = () => Math.floor(Math.random() * 0xffff).toString(16);
    const v6 = `fd00:${hex()}:${hex()}::/64`;
    const created = await callOk<NetworkSummary>(app, 'networks.create', {
      name,
      ipv6: true,
      dnsEnabled: false,
      subnets: [{ subnet: v4 }, { subnet: v6 }],
    });
    expect(created).toMatchObject({ name, ipv6: true, dnsEnabled: false, internal: false });
    expect(created.subnets.map((s) => s.subnet)).toEqual([v4, v6]);
    expect(created.subnets[1]!.gateway).toMatch(/^fd00:/);
    const [inspected] = JSON.parse(await podman(info, 'network', 'inspect', name)) as {
      ipv6_enabled: boolean;
      dns_enabled: boolean;
      subnets: { subnet: string }[];
    }[];
    expect(inspected).toMatchObject({ ipv6_enabled: true, dns_enabled: false });
    expect(inspected!.subnets.map((s) => s.subnet)).toEqual([v4, v6]);
    expect((await callOk<NetworkSummary[]>(app, 'networks.list')).find((n) => n.name === name)).toMatchObject({
      ipv6: true,
      dnsEnabled: false,
    });
    await callOk(app, 'networks.remove', { name });

    const withDns = { name: uniqueName('dns'), dnsServers: ['1.1.1.1', '9.9.9.9'] };
    if (/^4\.[0-4]\./.test(await podman(info, 'version', '--format', '{{.Server.Version}}'))) {
      const error = await callError(app, 'networks.create', withDns);
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(/cannot set DNS servers per network \(Podman 4\.5 and later can\)/);
      expect(await networkNames()).not.toContain(withDns.name);
    } else {
      expect(await callOk<NetworkSummary>(app, 'networks.create', withDns)).toMatchObject({ dnsServers: withDns.dnsServers });
      await callOk(app, 'networks.remove', { name: withDns.name });
    }
    expect((await callError(app, 'networks.create', { name: uniqueName('dns'), dnsServers: ['1.1.1'] })).message).toMatch(
      /Not an IP address/,
    );
  });

  it('validates CIDRs before the engine is called', async () => {
    const engine = app.connection.engine();
    const creates = () => engine.recent.filter((r) => r.path.endsWith('/networks/create')).length;
    const before = creates();
    const cases: [unknown, RegExp][] = [
      [{ subnet: '10.1.2.3/24' }, /host bits set: the network is 10\.1\.2\.0\/24/],
      [{ subnet: '10.1.2.0/33' }, /not a prefix length/],
      [{ subnet: '300.1.2.0/24' }, /not an IP address/],
      [{ subnet: '10.1.2.0/24', gateway: '10.1.3.1' }, /outside 10\.1\.2\.0\/24/],
      [{ subnet: '10.1.2.0/24', range: '10.1.2.200-10.1.3.5' }, /not inside/],
    ];
    for (const [s, message] of cases) {
      const error = await callError(app, 'networks.create', { name: uniqueName('bad'), subnets: [s] });
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(message);
    }
    const podmanNet = app.networking.networks.get('podman')!;
    const overlap = await callError(app, 'networks.create', {
      name: uniqueName('overlap'),
      subnets: [{ subnet: podmanNet.subnets[0]!.subnet }],
    });
    expect(overlap.code).toBe('CONFLICT');
    expect(overlap.message).toMatch(/overlaps .* of the network “podman”/);
    const macvlanWithout = await callError(app, 'networks.create', { name: uniqueName('mv'), driver: 'macvlan' });
    expect(macvlanWithout.message).toMatch(/needs a subnet/);
    expect(creates()).toBe(before);
  });

  it('creates a macvlan network where the engine offers it, and says so for ipvlan where it does not', async () => {
    const drivers = await callOk<string[]>(app, 'networks.drivers');
    expect(drivers).toContain('bridge');
    const name = uniqueName('mac');
    if (drivers.includes('macvlan')) {
      // Only the definition: no container joins it, so nothing reaches the real network.
      const created = await callOk<NetworkSummary>(app, 'networks.create', {
        name,
        driver: 'macvlan',
        parent: 'lo',
        subnets: [{ subnet: subnet() }],
      });
      expect(created.driver).toBe('macvlan');
      await callOk(app, 'networks.remove', { name });
    }
    if (!drivers.includes('ipvlan')) {
      const error = await callError(app, 'networks.create', {
        name: uniqueName('ipv'),
        driver: 'ipvlan',
        subnets: [{ subnet: subnet() }],
      });
      expect(error.message).toMatch(/no ipvlan driver/);
    }
  });

  it('connects a container with an alias and a static IP, reachable by alias until disconnected', async () => {
    const net = uniqueName('talk');
    const block = subnet();
    const base = block.slice(0, block.lastIndexOf('.'));
    await callOk(app, 'networks.create', { name: net, subnets: [{ subnet: block }] });
    const server = uniqueName('server');
    const client = uniqueName('client');
    await podman(info, 'run', '-d', '--name', server, info.busybox, 'httpd', '-f', '-p', '80', '-h', '/www');
    await podman(info, 'run', '-d', '--name', client, '--network', net, info.busybox, 'sleep', '300');
    try {
      // busybox-static's wget crashes in these containers; nc speaks HTTP well enough.
      const fetchByAlias = () =>
        podman(info, 'exec', client, 'sh', '-c', 'printf "GET / HTTP/1.0\\r\\n\\r\\n" | nc -w 3 web 80').then(
          (body) => (body.includes('200 OK') ? body : `failed: ${body}`),
          (error: Error) => `failed: ${error.message}`,
        );
      expect(await fetchByAlias()).toMatch(/^failed/);

      await callOk(app, 'networks.connect', { network: net, container: server, aliases: ['web'], ipv4: `${base}.77` });
      await waitFor(() => wiringOf(server)?.endpoints.some((e) => e.network === net) ?? false, 'the connect to reach the wiring');
      expect(wiringOf(server)!.endpoints.find((e) => e.network === net)).toMatchObject({ ipv4: `${base}.77`, aliases: ['web'] });
      expect(await fetchByAlias()).toContain('hello from busybox');

      // In use: refused, with the names.
      const refused = await callError(app, 'networks.remove', { name: net });
      expect(refused.code).toBe('CONFLICT');
      expect((refused.details as { containers: string[] }).containers.sort()).toEqual([client, server].sort());

      await callOk(app, 'networks.disconnect', { network: net, container: server });
      await waitFor(
        () => !(wiringOf(server)?.endpoints.some((e) => e.network === net) ?? true),
        'the disconnect to reach the wiring',
      );
      expect(await fetchByAlias()).toMatch(/^failed/);

      const outside = await callError(app, 'networks.connect', { network: net, container: server, ipv4: '192.168.99.9' });
      expect(outside.message).toMatch(/not inside/);
    } finally {
      await podman(info, 'rm', '-f', '-t', '0', server, client);
    }
    await waitFor(() => wiringOf(client) === undefined, 'the removed containers to leave the wiring');
    await callOk(app, 'networks.remove', { name: net });
  });

  it('learns of a network made with the CLI when a container joins it, and prunes what is unused', async () => {
    const net = uniqueName('cli-net');
    await podman(info, 'network', 'create', net);
    const joiner = uniqueName('joiner');
    await podman(info, 'create', '--name', joiner, '--network', net, info.busybox, 'true');
    await waitFor(() => app.networking.networks.get(net) !== undefined, 'the CLI network in the cache');
    const unused = uniqueName('unused');
    await callOk(app, 'networks.create', { name: unused });
    const result = await callOk<{ removed: string[]; kept: { name: string; reason: string }[] }>(app, 'networks.prune', {
      names: [unused, net, 'podman'],
    });
    expect(result.removed).toEqual([unused]);
    expect(result.kept.map((k) => k.name).sort()).toEqual([net, 'podman'].sort());
    expect(await networkNames()).not.toContain(unused);
    await podman(info, 'rm', joiner);
    await podman(info, 'network', 'rm', net);
  });
});
