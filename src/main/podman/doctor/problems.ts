import type { DoctorFix, DoctorMember, DoctorProblem } from '../../../shared/contract';
import type { ContainerFacts, DoctorFacts, NetworkFacts } from './facts';
import { listenersOn, portInB } from './steps';
import {
  addressesOf,
  bestName,
  classifyTarget,
  commonEndpoints,
  isAddressOf,
  mappingFor,
  namesOn,
  networkOf,
  normalName,
  publishedAs,
  sharesNetns,
  type TargetKind,
} from './target';

const running = (c: ContainerFacts) => c.state === 'running';

const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

function startFix(c: ContainerFacts): DoctorFix {
  return c.state === 'paused'
    ? { kind: 'unpause', container: c.id, name: c.name }
    : { kind: 'start', container: c.id, name: c.name };
}

/** How a container joins a network: with the names it has elsewhere, so those keep resolving. */
export function member(c: ContainerFacts): DoctorMember {
  const aliases = [...new Set([...(c.service ? [c.service] : []), ...c.endpoints.flatMap((e) => e.aliases)])].filter(
    (a) => normalName(a) !== normalName(c.name),
  );
  return { container: c.id, name: c.name, aliases };
}

/** A user network is worth joining when its containers find each other by name. */
const score = (n: NetworkFacts) => (n.dnsEnabled ? 2 : 0) + (n.isDefault ? 0 : 1);

function connectFix(network: string, c: ContainerFacts): DoctorFix {
  return { kind: 'connect', network, ...member(c) };
}

/** A name for a new network of A and B: their services' or names, as a network name allows. */
export function suggestNetworkName(f: DoctorFacts): string {
  const part = (c: ContainerFacts) => (c.service ?? c.name).toLowerCase().replace(/[^a-z0-9_.-]+/g, '-');
  const base = `${part(f.from)}-${part(f.to)}`.slice(0, 40).replace(/^[^a-z0-9]+/, '') || 'shared';
  const taken = new Set(f.networks.map((n) => n.name));
  let name = `${base}-net`;
  for (let i = 2; taken.has(name); i++) name = `${base}-net-${i}`;
  return name;
}

function createFix(f: DoctorFacts): DoctorFix {
  return { kind: 'create-network', network: suggestNetworkName(f), members: [member(f.from), member(f.to)] };
}

/**
 * Ways to put A and B on one network where names resolve, best first: one joins a DNS network the
 * other is on (A joining B's first: B's network is usually its stack's), else both join a new one.
 */
function joinFixes(f: DoctorFacts): DoctorFix[] {
  const { from: a, to: b } = f;
  const candidates: { fix: DoctorFix; score: number }[] = [];
  const mine = new Set(a.endpoints.map((e) => e.network));
  const theirs = new Set(b.endpoints.map((e) => e.network));
  for (const e of b.endpoints) {
    const n = networkOf(f, e.network);
    if (!mine.has(e.network) && n.dnsEnabled) candidates.push({ fix: connectFix(e.network, a), score: score(n) + 0.5 });
  }
  for (const e of a.endpoints) {
    const n = networkOf(f, e.network);
    // Not into an internal network: B would vanish from everything outside it.
    if (!theirs.has(e.network) && n.dnsEnabled && !n.internal)
      candidates.push({ fix: connectFix(e.network, b), score: score(n) });
  }
  const fixes = candidates
    .sort((x, y) => y.score - x.score)
    .slice(0, 2)
    .map((c) => c.fix);
  if (fixes.length < 2) fixes.push(createFix(f));
  return fixes;
}

function useHostFixes(names: string[], current: string): DoctorFix[] {
  return [...new Set(names)]
    .filter((n) => normalName(n) !== normalName(current))
    .slice(0, 3)
    .map((host) => ({ kind: 'use-host' as const, host }));
}

/**
 * The problems the facts show, root causes first. A problem found from the facts alone (B is
 * stopped, no network in common) is reported even before, or without, the probes; the probes
 * confirm, and decide the traps only they can tell (who listens where, what a name resolves to).
 */
export function findProblems(f: DoctorFacts): DoctorProblem[] {
  const { from: a, to: b, probes } = f;
  const kind: TargetKind = classifyTarget(f);
  const problems: DoctorProblem[] = [];
  const add = (p: DoctorProblem) => problems.push(p);
  const connect = probes.connect;
  const opened = connect?.outcome === 'open';
  const failed = connect !== undefined && connect.outcome !== 'open' && connect.outcome !== 'no-tool';
  const shared = sharesNetns(f);
  const common = commonEndpoints(f);
  const commonDns = common.filter((e) => networkOf(f, e.network).dnsEnabled);
  const direct = kind === 'b-name' || kind === 'b-ip' || kind === 'name' || kind === 'ip';
  const byName = kind === 'b-name' || kind === 'name';

  // Someone is not running.
  if (!running(a))
    add({
      trap: 'source-not-running',
      severity: 'error',
      title: `${a.name} is not running`,
      explanation: `${a.name} is ${a.state}. A container that does not run has no network, and the checks run from inside it.`,
      remedy: `Start ${a.name}, then check again.`,
      fixes: [startFix(a)],
    });
  if (!running(b))
    add({
      trap: 'not-running',
      severity: 'error',
      title: `${b.name} is not running`,
      explanation: `${b.name} is ${b.state}: while it is not running, nothing answers at its name or its ports, and a stopped container has no address on its networks.`,
      remedy: `Start ${b.name}${b.state === 'exited' ? ', and if it stops again, read its logs to see why' : ''}.`,
      fixes: b.state === 'exited' ? [startFix(b), { kind: 'logs', container: b.id, name: b.name }] : [startFix(b)],
    });

  // The tools to check with.
  const r = probes.runner;
  if (r?.kind === 'needs-helper')
    add({
      trap: 'needs-helper',
      severity: 'error',
      title: `${a.name} has no network tools`,
      explanation: `${a.name} lacks ${list(r.missing)}, as many small images do. PodDesk can run the checks in a tiny helper container that joins ${a.name}’s network (it sees exactly what ${a.name} sees), but the helper’s image, ${r.image}, is not on this machine yet.`,
      remedy: `Pull ${r.image} (about 2 MB, once; the volume browser uses the same image), then check again.`,
      fixes: [{ kind: 'pull-helper', image: r.image }],
    });
  else if (r?.kind === 'no-tools')
    add({
      trap: 'no-tools',
      severity: 'error',
      title: 'Nothing here can run the checks',
      explanation: `Neither ${a.name} nor the helper image ${r.image} has ${list(r.missing)}.`,
      remedy: 'Set the helper image in Settings back to busybox (docker.io/library/busybox), which has them all.',
      fixes: [],
    });

  // localhost is A itself.
  if (kind === 'loopback' && !shared)
    add({
      trap: 'localhost',
      severity: 'error',
      title: `Inside ${a.name}, ${f.host} is ${a.name} itself`,
      explanation: `Every container has its own network, with its own localhost. ${f.host}:${f.port} in ${a.name} is ${a.name}’s own port ${f.port}, not ${b.name}’s (and not this computer’s either).`,
      remedy:
        common.length > 0
          ? `Use ${b.name}’s name instead: ${bestName(b, commonDns.length ? commonDns : common)}.`
          : `Put both on one network and use ${b.name}’s name.`,
      fixes: common.length > 0 ? useHostFixes([bestName(b, commonDns.length ? commonDns : common)], f.host) : joinFixes(f),
    });

  // Through this computer: published ports.
  if (kind === 'host' && running(b)) {
    const mapping = mappingFor(b, f.port);
    const internal = b.endpoints.length > 0 && b.endpoints.every((e) => networkOf(f, e.network).internal);
    const theName = bestName(b, commonDns.length ? commonDns : common);
    const better = common.length > 0 ? useHostFixes([theName], f.host) : [];
    if (internal)
      add({
        trap: 'internal-network',
        severity: 'error',
        title: `${b.name} is only on internal networks`,
        explanation: `${list(b.endpoints.map((e) => e.network))} ${b.endpoints.length > 1 ? 'are' : 'is'} internal: nothing outside reaches in, and Podman forwards no published port into ${b.endpoints.length > 1 ? 'them' : 'it'}. From this computer’s side, ${b.name} is out of reach.`,
        remedy: `Reach ${b.name} from inside its network: connect ${a.name} to ${b.endpoints[0]!.network} and use ${b.name}’s name.`,
        fixes: [connectFix(b.endpoints[0]!.network, a), ...better],
      });
    else if (!mapping) {
      const asHost = publishedAs(b, f.port);
      if (asHost && asHost.hostPort !== f.port)
        add({
          trap: 'container-port-outside',
          severity: 'error',
          title: `${f.port} is ${b.name}’s own port; this computer publishes it as ${asHost.hostPort}`,
          explanation: `${f.host} is this computer, seen from ${a.name}. On this computer, ${b.name}’s port ${f.port} is published as ${asHost.hostPort} (${asHost.hostPort}→${f.port}), so ${f.host}:${f.port} is some other port, or nothing.`,
          remedy:
            common.length > 0
              ? `Use ${asHost.hostPort} through this computer, or better, talk to ${b.name} directly on your shared network: ${theName}:${f.port}.`
              : `Use port ${asHost.hostPort}. Better still: put both on one network and use ${b.name}:${f.port}.`,
          fixes: [{ kind: 'use-port', port: asHost.hostPort }, ...better],
        });
      else
        add({
          trap: 'not-published',
          severity: opened ? 'warning' : 'error',
          title: `${b.name} does not publish port ${f.port} on this computer`,
          explanation: `${f.host} is this computer, seen from ${a.name}. ${b.name} is reachable there only at the ports it publishes: ${b.published.length ? list(b.published.map((p) => `${p.hostPort}→${p.containerPort}`)) : 'none'}.${opened ? ` Something else answers at ${f.port}.` : ''}`,
          remedy:
            common.length > 0
              ? `Containers on one network talk directly: use ${theName}:${f.port}.`
              : `Put both on one network and use ${b.name}’s name, or publish the port when you create ${b.name}.`,
          fixes: common.length > 0 ? better : joinFixes(f),
        });
    }
  }

  // Straight to B: a network in common?
  if (direct && !shared && running(a) && running(b) && a.mode !== 'host' && b.mode !== 'host' && common.length === 0) {
    const bInternal = b.endpoints.length > 0 && b.endpoints.every((e) => networkOf(f, e.network).internal);
    const aInternal = a.endpoints.length > 0 && a.endpoints.every((e) => networkOf(f, e.network).internal);
    const reachedAnyway = opened && (kind === 'b-ip' || kind === 'ip');
    if (bInternal || aInternal) {
      const inside = bInternal ? b : a;
      const outside = bInternal ? a : b;
      const net = inside.endpoints[0]!.network;
      add({
        trap: 'internal-network',
        severity: 'error',
        title: bInternal
          ? `${b.name} is only on an internal network, and ${a.name} is outside it`
          : `${a.name} is only on an internal network`,
        explanation: bInternal
          ? `${net} is internal: only containers on it can reach ${b.name}. It has no way in from outside, not through another network and not through published ports.`
          : `${net} is internal: ${a.name} can reach only the containers on it, and ${b.name} is not one of them.`,
        remedy: `Connect ${outside.name} to ${net}, so both are inside it.`,
        fixes: [connectFix(net, outside)],
      });
    } else
      add({
        trap: 'no-common-network',
        severity: reachedAnyway ? 'warning' : 'error',
        title: `${a.name} and ${b.name} share no network`,
        explanation: reachedAnyway
          ? `${a.name} reached ${f.host} through this computer’s routing between networks, which Podman does not promise (an isolated network blocks it), and ${b.name}’s name does not resolve from another network.`
          : `Containers find each other by name only on a network they share, and Podman keeps each network’s names to itself. ${a.name} is on ${list(a.endpoints.map((e) => e.network)) || 'no network'}; ${b.name} is on ${list(b.endpoints.map((e) => e.network)) || 'no network'}.`,
        remedy: `Connect one of them to the other’s network (a user network, where names resolve).`,
        fixes: joinFixes(f),
      });
  }

  // A network in common, but the name does not lead to B.
  if (direct && byName && !shared && common.length > 0 && running(b)) {
    const resolveFailed = probes.resolve !== undefined && !probes.resolve.ok && probes.resolve.reason !== 'no-tool';
    const unresolved = resolveFailed || connect?.outcome === 'unresolved';
    const knownAs = commonDns.flatMap((e) => namesOn(b, e));
    const byIpOpen = probes.byIp?.result.outcome === 'open';
    if (commonDns.length === 0) {
      // The name cannot resolve: say so from the facts, before any probe.
      if (!opened)
        add({
          trap: 'no-dns',
          severity: 'error',
          title: `Names do not resolve on ${list(common.map((e) => e.network))}`,
          explanation: `${list(common.map((e) => e.network))} ${common.length > 1 ? 'have' : 'has'} no DNS${common.some((e) => networkOf(f, e.network).isDefault) ? ' (Podman’s default network never has; only networks you create do)' : ''}, so ${a.name} cannot look ${b.name} up by name.${byIpOpen ? ` ${b.name} does answer at its address ${probes.byIp!.address}: only the name is missing.` : ''}`,
          remedy: `Put both on a user network (one you create has DNS), then use ${b.name}’s name. Addresses change when a container is recreated; names do not.`,
          fixes: joinFixes(f),
        });
    } else if (unresolved && !knownAs.includes(normalName(f.host))) {
      const elsewhere = b.endpoints.filter((e) => namesOn(b, e).includes(normalName(f.host))).map((e) => e.network);
      add({
        trap: 'wrong-name',
        severity: 'error',
        title: `${f.host} is not a name of ${b.name} on ${list(commonDns.map((e) => e.network))}`,
        explanation: `${elsewhere.length ? `${f.host} is ${b.name}’s alias on ${list(elsewhere)} only: aliases belong to one network. ` : ''}On ${list(commonDns.map((e) => e.network))}, ${b.name} answers to ${list([...new Set(knownAs)])}.`,
        remedy: `Use one of those names${elsewhere.length ? `, or connect ${a.name} to ${elsewhere[0]}` : ''}.`,
        fixes: [...useHostFixes(knownAs, f.host), ...(elsewhere.length ? [connectFix(elsewhere[0]!, a)] : [])],
      });
    } else if (probes.resolve?.ok && !probes.resolve.addresses.some((ip) => isAddressOf(b, ip)))
      add({
        trap: 'wrong-target',
        severity: opened ? 'warning' : 'error',
        title: `${f.host} is not ${b.name}`,
        explanation: `From ${a.name}, ${f.host} is ${probes.resolve.addresses.join(', ')}, but ${b.name} is at ${addressesOf(b).join(', ')}. Another container (or an alias two containers share) answers to that name.`,
        remedy: `Use a name only ${b.name} has: ${bestName(b, commonDns)}.`,
        fixes: useHostFixes([bestName(b, commonDns), b.name], f.host),
      });
  }

  // What B listens on.
  const l = probes.listeners;
  const port = portInB(f, kind);
  const routeOk = shared || common.length > 0 || kind === 'host' || opened;
  if (running(b) && routeOk && (kind !== 'loopback' || shared)) {
    const hostMapping = direct ? mappingFor(b, f.port) : undefined;
    const on = l ? listenersOn(l, port) : null;
    const notOnPort = on ? !on.any : failed && connect!.outcome === 'refused';
    if (on?.loopbackOnly && !shared)
      add({
        trap: 'loopback-only',
        severity: 'error',
        title: `${b.name} listens on 127.0.0.1 only`,
        explanation: `The program in ${b.name} listens on port ${port} at ${list([...new Set(l!.filter((x) => x.port === port).map((x) => x.address))])}: that is ${b.name}’s own localhost, and only ${b.name} itself can reach it. Many development servers do this by default (Flask’s app.run(), Vite, Rails).`,
        remedy: `Make it listen on all addresses, 0.0.0.0: for Flask, app.run(host="0.0.0.0") or flask run --host=0.0.0.0; for Node, server.listen(${port}, "0.0.0.0"). Then restart ${b.name}.`,
        fixes: [{ kind: 'logs', container: b.id, name: b.name }],
      });
    else if (notOnPort && hostMapping && hostMapping.containerPort !== f.port)
      add({
        trap: 'host-port-inside',
        severity: 'error',
        title: `${f.port} is the port on this computer; inside the network ${b.name} uses ${hostMapping.containerPort}`,
        explanation: `${b.name} is published as ${hostMapping.hostPort}→${hostMapping.containerPort}: ${hostMapping.hostPort} is the door on this computer (for your browser), ${hostMapping.containerPort} is ${b.name}’s own port. Containers that share a network talk to the container’s own port.`,
        remedy: `Use port ${hostMapping.containerPort}: ${f.host}:${hostMapping.containerPort}.`,
        fixes: [{ kind: 'use-port', port: hostMapping.containerPort }],
      });
    else if (on && notOnPort) {
      const others = [...new Set(l!.filter((x) => x.scope !== 'loopback').map((x) => x.port))];
      add({
        trap: 'not-listening',
        severity: 'error',
        title: `Nothing in ${b.name} listens on port ${port}`,
        explanation:
          l!.length === 0
            ? `${b.name} listens on no TCP port at all: its program may have failed, or not started its server yet.`
            : `${b.name} listens on ${list([...new Set(l!.map((x) => String(x.port)))])}, not on ${port}.`,
        remedy: others.length
          ? `Use the port it listens on${others.length > 1 ? ` (${list(others.map(String))})` : `: ${others[0]}`}.`
          : `Read ${b.name}’s logs to see why its server is not up.`,
        fixes: others.length
          ? others
              .slice(0, 3)
              .map((p) => ({ kind: 'use-port' as const, port: kind === 'host' ? (publishedAs(b, p)?.hostPort ?? p) : p }))
          : [{ kind: 'logs', container: b.id, name: b.name }],
      });
    }
  }

  // Unhealthy: maybe the cause, maybe not.
  if (running(b) && b.health === 'unhealthy')
    add({
      trap: 'unhealthy',
      severity: 'warning',
      title: `${b.name} is unhealthy`,
      explanation: `${b.name}’s own healthcheck fails. It runs, but its service may not be working (still starting, out of memory, waiting for something it needs).`,
      remedy: `Read its logs; the healthcheck’s output is in Inspect (State.Health).`,
      fixes: [{ kind: 'logs', container: b.id, name: b.name }],
    });

  // A failure none of the traps explains.
  if (failed && !problems.some((p) => p.severity === 'error'))
    add({
      trap: 'unexplained',
      severity: 'error',
      title: `${a.name} could not open ${f.host}:${f.port}`,
      explanation: `None of the usual causes fits. The tool said: ${connect!.output || connect!.outcome}.`,
      remedy: `Look at ${b.name}’s logs, and at any firewall of its own.`,
      fixes: [{ kind: 'logs', container: b.id, name: b.name }],
    });
  return problems;
}
