import type { DoctorListener, DoctorStep } from '../../../shared/contract';
import type { ContainerFacts, DoctorFacts, NetworkFacts } from './facts';
import type { ConnectResult } from './script';
import {
  addressesOf,
  classifyTarget,
  commonEndpoints,
  isAddressOf,
  isIpAddress,
  mappingFor,
  networkOf,
  sharesNetns,
  type TargetKind,
} from './target';

const running = (c: ContainerFacts) => c.state === 'running';

export function describeNetwork(n: NetworkFacts): string {
  const notes = [n.dnsEnabled ? 'DNS on' : 'no DNS', ...(n.internal ? ['internal'] : [])];
  return `${n.name} (${notes.join(', ')})`;
}

const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/** The container port the check is really about: the one a published port of this computer leads to. */
export function portInB(f: DoctorFacts, kind: TargetKind): number {
  if (kind === 'host' || kind === 'loopback') return mappingFor(f.to, f.port)?.containerPort ?? f.port;
  return f.port;
}

export function listenersOn(listeners: DoctorListener[], port: number) {
  const on = listeners.filter((l) => l.port === port);
  return {
    any: on.length > 0,
    open: on.filter((l) => l.scope !== 'loopback'),
    loopbackOnly: on.length > 0 && on.every((l) => l.scope === 'loopback'),
  };
}

export function connectWords(r: ConnectResult, where: string): string {
  switch (r.outcome) {
    case 'open':
      return `Opened ${where}.`;
    case 'refused':
      return `Refused: nothing accepts connections at ${where}.`;
    case 'timeout':
      return `No answer from ${where} within a few seconds: the packets go nowhere.`;
    case 'unreachable':
      return `No route from here to ${where}.`;
    case 'unresolved':
      return `The name could not be looked up, so there was nothing to connect to.`;
    case 'no-tool':
      return 'Not checked: no tool to open a port.';
    case 'error':
      return `The connection to ${where} failed.`;
  }
}

/** Why a probe has no result: still running, or what stopped it. */
function notRun(f: DoctorFacts): { status: 'pending' | 'skip'; detail: string } {
  const { runner } = f.probes;
  if (!running(f.from)) return { status: 'skip', detail: `Not checked: ${f.from.name} is not running.` };
  if (!running(f.to)) return { status: 'skip', detail: `Not checked: ${f.to.name} is not running.` };
  if (runner && runner.kind !== 'exec' && runner.kind !== 'helper')
    return { status: 'skip', detail: 'Not checked: no tools to check with.' };
  if (f.done) return { status: 'skip', detail: 'Not checked.' };
  return { status: 'pending', detail: 'Checking…' };
}

export function buildSteps(f: DoctorFacts): DoctorStep[] {
  const { from: a, to: b, probes } = f;
  const kind = classifyTarget(f);
  const where = `${f.host}:${f.port}`;
  const steps: DoctorStep[] = [];

  // 1. Both running?
  {
    const title = `Are ${a.name} and ${b.name} running?`;
    if (!running(a))
      steps.push({
        id: 'running',
        title,
        status: 'fail',
        detail: `${a.name} is ${a.state}. The checks run from inside it, so it must run.`,
      });
    else if (!running(b))
      steps.push({ id: 'running', title, status: 'fail', detail: `${b.name} is ${b.state}: nothing in it answers.` });
    else if (b.health === 'unhealthy')
      steps.push({ id: 'running', title, status: 'warn', detail: `Both run, but ${b.name}’s healthcheck fails (unhealthy).` });
    else if (b.health === 'starting')
      steps.push({
        id: 'running',
        title,
        status: 'info',
        detail: `Both run; ${b.name}’s healthcheck has not passed yet (starting).`,
      });
    else steps.push({ id: 'running', title, status: 'pass', detail: 'Both are running.' });
  }

  // 2. Networks in common.
  {
    const title = 'On which networks are both?';
    const common = commonEndpoints(f);
    const on = (c: ContainerFacts) =>
      c.mode === 'host'
        ? 'this computer’s network'
        : c.endpoints.length
          ? list(c.endpoints.map((e) => describeNetwork(networkOf(f, e.network))))
          : 'no network';
    if (sharesNetns(f))
      steps.push({
        id: 'networks',
        title,
        status: 'pass',
        detail: `${a.name} and ${b.name} share one network namespace${a.pod ? ' (the same pod)' : ''}: to each other they are localhost.`,
      });
    else if (common.length > 0)
      steps.push({
        id: 'networks',
        title,
        status: 'pass',
        detail: `Both are on ${list(common.map((e) => describeNetwork(networkOf(f, e.network))))}.`,
      });
    else
      steps.push({
        id: 'networks',
        title,
        status: kind === 'host' ? 'info' : 'fail',
        detail: `They share no network. ${a.name} is on ${on(a)}; ${b.name} is on ${on(b)}.${kind === 'host' ? ' This check goes through this computer instead.' : ''}`,
      });
  }

  // 3. Where the checks run.
  {
    const title = `Tools to check with, in ${a.name}`;
    const r = probes.runner;
    if (!r) {
      const n = notRun(f);
      steps.push({
        id: 'tools',
        title,
        ...n,
        detail: n.status === 'pending' ? `Looking for network tools in ${a.name}…` : n.detail,
      });
    } else if (r.kind === 'exec')
      steps.push({ id: 'tools', title, status: 'pass', detail: `The checks run inside ${a.name}, with its own tools.` });
    else if (r.kind === 'helper')
      steps.push({
        id: 'tools',
        title,
        status: 'info',
        detail: `${a.name} has no network tools, so the checks run in a small helper container (${r.image}) that shares ${a.name}’s network.`,
      });
    else if (r.kind === 'needs-helper')
      steps.push({
        id: 'tools',
        title,
        status: 'fail',
        detail: `${a.name} lacks ${list(r.missing)}. A helper container can check from inside its network, but its image (${r.image}) is not here yet.`,
      });
    else if (r.kind === 'no-tools')
      steps.push({
        id: 'tools',
        title,
        status: 'fail',
        detail: `Neither ${a.name} nor the helper image ${r.image} has ${list(r.missing)}.`,
      });
    else steps.push({ id: 'tools', title, status: 'fail', detail: r.message });
  }

  // 4. The name.
  {
    const title = `Does ${f.host} resolve from ${a.name}?`;
    const r = probes.resolve;
    if (isIpAddress(f.host))
      steps.push({ id: 'resolve', title, status: 'skip', detail: `${f.host} is an address: there is nothing to look up.` });
    else if (!r) steps.push({ id: 'resolve', title, ...notRun(f) });
    else if (r.ok) {
      const shown = r.addresses.join(', ');
      if (kind === 'loopback')
        steps.push({
          id: 'resolve',
          title,
          status: 'warn',
          detail: `${f.host} is ${shown}: that is ${a.name} itself, not ${b.name}.`,
          output: r.output,
        });
      else if (kind === 'host')
        steps.push({
          id: 'resolve',
          title,
          status: 'pass',
          detail: `${f.host} is ${shown}: this computer, as ${a.name} sees it.`,
        });
      else if (r.addresses.some((ip) => isAddressOf(b, ip)))
        steps.push({ id: 'resolve', title, status: 'pass', detail: `${f.host} is ${shown}: that is ${b.name}.` });
      else
        steps.push({
          id: 'resolve',
          title,
          status: 'warn',
          detail: `${f.host} is ${shown}, but ${b.name} is at ${addressesOf(b).join(', ') || 'no address'}.`,
          output: r.output,
        });
    } else if (r.reason === 'no-tool')
      steps.push({ id: 'resolve', title, status: 'skip', detail: 'Not checked: no tool to look names up.' });
    else
      steps.push({
        id: 'resolve',
        title,
        status: 'fail',
        detail:
          r.reason === 'timeout'
            ? `Looking ${f.host} up timed out: no DNS server answered.`
            : `${f.host} does not resolve from ${a.name}.`,
        output: r.output,
      });
  }

  // 5. What B listens on.
  {
    const port = portInB(f, kind);
    const title = `Does ${b.name} listen on port ${port}?`;
    const l = probes.listeners;
    if (l === undefined) steps.push({ id: 'listening', title, ...notRun(f) });
    else if (l === null)
      steps.push({
        id: 'listening',
        title,
        status: 'skip',
        detail: `Could not read what ${b.name} listens on (it has no shell, and no helper looked).`,
      });
    else {
      const on = listenersOn(l, port);
      const others = [...new Set(l.filter((x) => x.port !== port).map((x) => x.port))];
      const elsewhere = others.length ? ` It listens on ${list(others.map(String))}.` : ` It listens on no TCP port at all.`;
      if (on.open.length > 0)
        steps.push({
          id: 'listening',
          title,
          status: 'pass',
          detail: on.open.some((x) => x.scope === 'all')
            ? `${b.name} listens on port ${port} on all its addresses.`
            : `${b.name} listens on port ${port} at ${list(on.open.map((x) => x.address))}.`,
        });
      else if (on.loopbackOnly)
        steps.push({
          id: 'listening',
          title,
          status: 'fail',
          detail: `${b.name} listens on port ${port} only at ${list([...new Set(l.filter((x) => x.port === port).map((x) => x.address))])}: inside itself, where no other container can reach.`,
        });
      else
        steps.push({
          id: 'listening',
          title,
          status: 'fail',
          detail: `Nothing in ${b.name} listens on port ${port}.${elsewhere}`,
        });
    }
  }

  // 6. The connection.
  {
    const title = `Can ${a.name} open ${where}?`;
    const r = probes.connect;
    if (!r) steps.push({ id: 'connect', title, ...notRun(f) });
    else if (r.outcome === 'no-tool') steps.push({ id: 'connect', title, status: 'skip', detail: connectWords(r, where) });
    else
      steps.push({
        id: 'connect',
        title,
        status: r.outcome === 'open' ? 'pass' : 'fail',
        detail: connectWords(r, where),
        ...(r.outcome !== 'open' && r.output ? { output: r.output } : {}),
      });
  }

  // 6b. By address, when the name failed.
  if (probes.byIp) {
    const { address, result } = probes.byIp;
    const at = `${address.includes(':') ? `[${address}]` : address}:${f.port}`;
    steps.push({
      id: 'by-ip',
      title: `Can ${a.name} reach ${b.name} by its address, ${at}?`,
      status: result.outcome === 'open' ? 'pass' : 'fail',
      detail: result.outcome === 'open' ? `${b.name} answers at ${at}: only the name is missing.` : connectWords(result, at),
      ...(result.outcome !== 'open' && result.output ? { output: result.output } : {}),
    });
  }

  // 7. HTTP.
  {
    const title = `Does it answer HTTP?`;
    const r = probes.http;
    if (!f.http) steps.push({ id: 'http', title, status: 'skip', detail: 'Not asked for.' });
    else if (probes.connect && probes.connect.outcome !== 'open')
      steps.push({ id: 'http', title, status: 'skip', detail: 'Not checked: the port did not open.' });
    else if (!r) steps.push({ id: 'http', title, ...notRun(f) });
    else if (r.outcome === 'http')
      steps.push(
        r.status >= 500
          ? {
              id: 'http',
              title,
              status: 'warn',
              detail: `It speaks HTTP, but answered “${r.statusLine}”: the service itself has a problem (look at ${b.name}’s logs).`,
            }
          : { id: 'http', title, status: 'pass', detail: `It speaks HTTP and answered “${r.statusLine}”.` },
      );
    else if (r.outcome === 'not-http')
      steps.push({
        id: 'http',
        title,
        status: 'info',
        detail: 'The port is open but did not answer HTTP: fine if it is not a web service (a database, say).',
        ...(r.output ? { output: r.output } : {}),
      });
    else if (r.outcome === 'no-tool') steps.push({ id: 'http', title, status: 'skip', detail: 'Not checked: no HTTP client.' });
    else steps.push({ id: 'http', title, status: 'fail', detail: 'The HTTP request failed.', output: r.output });
  }
  return steps;
}
