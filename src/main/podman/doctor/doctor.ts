import type { DoctorCheckInput, DoctorListener, DoctorReport, DoctorTargetInfo } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { LIBPOD, type Engine } from '../engine';
import { toNetworkSummary, type LibpodNetwork } from '../networks/networks';
import { diagnose } from './diagnose';
import { containerFacts, type ContainerFacts, type DoctorFacts, type InspectedContainer, type NetworkFacts } from './facts';
import { execRunner, helperRunner, NoShellError, type HelperImage, type ProbeRunner } from './runner';
import { missingTools, parseConnect, parseHttp, parseListeners, parseResolve, parseTools } from './script';
import { classifyTarget, commonEndpoints, isIpAddress } from './target';

export interface DoctorDeps {
  engine(): Engine;
  /** The volume browser's helper image: the doctor's helper uses the same one, with the same consent. */
  helper: HelperImage;
  /** Per-check deadlines (ms); the tests shorten nothing, a slow machine needs the defaults. */
  deadlines?: Partial<Record<'tools' | 'resolve' | 'connect' | 'http' | 'listen', number>>;
  random?: () => string;
}

export interface Doctor {
  check(input: Required<DoctorCheckInput>, emit: (report: DoctorReport) => void, signal: AbortSignal): Promise<void>;
  target(id: string): Promise<DoctorTargetInfo>;
}

const DEFAULT_DEADLINES = { tools: 10_000, resolve: 12_000, connect: 12_000, http: 14_000, listen: 10_000 };

const running = (c: ContainerFacts) => c.state === 'running';

export function createDoctor(deps: DoctorDeps): Doctor {
  const deadlines = { ...DEFAULT_DEADLINES, ...deps.deadlines };

  const inspect = async (id: string): Promise<ContainerFacts> =>
    containerFacts(await deps.engine().json<InspectedContainer>('GET', `${LIBPOD}/containers/${encodeURIComponent(id)}/json`));

  const networks = async (): Promise<NetworkFacts[]> =>
    ((await deps.engine().json<LibpodNetwork[]>('GET', `${LIBPOD}/networks/json`)) ?? []).map(toNetworkSummary);

  /** The tools a container has, or null when it has no shell to ask with. */
  const toolsIn = async (runner: ProbeRunner) => {
    try {
      return parseTools(await runner.run('tools', [], deadlines.tools));
    } catch (error) {
      if (error instanceof NoShellError) return null;
      throw error;
    }
  };

  /** B's listening sockets: through exec in B, else a helper in B's network when its image is here. */
  const listenersOf = async (b: ContainerFacts, signal: AbortSignal, allowHelper: boolean): Promise<DoctorListener[] | null> => {
    try {
      return parseListeners(await execRunner(deps.engine, b.id, signal).run('listen', [], deadlines.listen));
    } catch (error) {
      if (!(error instanceof NoShellError)) throw error;
    }
    if (!allowHelper || !(await deps.helper.imagePresent())) return null;
    const helper = await helperRunner(deps.engine, deps.helper.image(), b.netns, signal, deps.random);
    try {
      return parseListeners(await helper.run('listen', [], deadlines.listen));
    } finally {
      await helper.close();
    }
  };

  return {
    async check(input, emit, signal) {
      const [from, to, nets] = await Promise.all([inspect(input.from), inspect(input.to), networks()]);
      const facts: DoctorFacts = {
        from,
        to,
        networks: nets,
        host: input.host,
        port: input.port,
        http: input.http,
        probes: {},
        done: false,
      };
      const send = () => {
        if (!signal.aborted) emit(diagnose(facts));
      };
      const finish = () => {
        facts.done = true;
        send();
      };
      send();
      if (!running(from) || !running(to)) return finish();

      // B's side runs beside A's checks: it needs nothing from them.
      const listening = listenersOf(to, signal, true).then(
        (l) => {
          facts.probes.listeners = l;
          send();
        },
        (error: unknown) => {
          if (signal.aborted) return;
          facts.probes.listeners = null;
          void error;
        },
      );

      let runner: ProbeRunner | null = null;
      try {
        const inA = execRunner(deps.engine, from.id, signal);
        const own = await toolsIn(inA);
        const missing = own ? missingTools(own) : missingTools({ resolve: false, connect: false, http: false, names: [] });
        if (missing.length === 0) {
          runner = inA;
          facts.probes.runner = { kind: 'exec' };
        } else {
          const image = deps.helper.image();
          if (!(await deps.helper.imagePresent())) facts.probes.runner = { kind: 'needs-helper', image, missing };
          else {
            runner = await helperRunner(deps.engine, image, from.netns, signal, deps.random);
            const helperTools = await toolsIn(runner);
            const helperMissing = helperTools ? missingTools(helperTools) : missing;
            if (helperMissing.length === 0) facts.probes.runner = { kind: 'helper', image };
            else {
              facts.probes.runner = { kind: 'no-tools', image, missing: helperMissing };
              await runner.close();
              runner = null;
            }
          }
        }
        send();

        if (runner) {
          const kind = classifyTarget(facts);
          if (!isIpAddress(input.host)) {
            facts.probes.resolve = parseResolve(await runner.run('resolve', [input.host], deadlines.resolve));
            send();
          }
          facts.probes.connect = parseConnect(await runner.run('connect', [input.host, input.port], deadlines.connect));
          send();
          const nameFailed = facts.probes.resolve?.ok === false || facts.probes.connect.outcome === 'unresolved';
          if (nameFailed && (kind === 'b-name' || kind === 'name')) {
            // Is it the name or the way? B's own address on the same port tells them apart.
            const common = commonEndpoints(facts);
            const address = common.find((e) => e.ipv4)?.ipv4 ?? to.endpoints.find((e) => e.ipv4)?.ipv4;
            if (address) {
              facts.probes.byIp = {
                address,
                result: parseConnect(await runner.run('connect', [address, input.port], deadlines.connect)),
              };
              send();
            }
          }
          if (input.http && facts.probes.connect.outcome === 'open') {
            facts.probes.http = parseHttp(await runner.run('http', [input.host, input.port], deadlines.http));
            send();
          }
        }
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof AppError && error.code !== 'CANCELLED') {
          facts.probes.runner ??= { kind: 'failed', message: error.message };
        } else throw error;
      } finally {
        await runner?.close();
        await listening;
      }
      finish();
    },

    async target(id) {
      const b = await inspect(id);
      let listeners: DoctorListener[] | null = null;
      if (running(b)) {
        const controller = new AbortController();
        listeners = await listenersOf(b, controller.signal, false).catch(() => null);
      }
      const hosts: DoctorTargetInfo['hosts'] = [];
      const addHost = (host: string, why: string) => {
        if (!hosts.some((h) => h.host === host)) hosts.push({ host, why });
      };
      const aliases = [...new Set(b.endpoints.flatMap((e) => e.aliases))];
      if (b.service && aliases.includes(b.service)) addHost(b.service, 'its Compose service');
      addHost(b.name, 'its name');
      for (const a of aliases) addHost(a, 'an alias on its network');
      for (const e of b.endpoints) if (e.ipv4) addHost(e.ipv4, `its address on ${e.network}`);
      if (b.published.length) addHost('host.containers.internal', 'this computer (its published ports)');
      const ports: DoctorTargetInfo['ports'] = [];
      const addPort = (port: number, why: string) => {
        if (!ports.some((p) => p.port === port)) ports.push({ port, why });
      };
      for (const l of listeners ?? []) if (l.scope !== 'loopback') addPort(l.port, 'it listens');
      for (const p of b.exposed) addPort(p, 'its image exposes it');
      for (const p of b.published) if (p.protocol === 'tcp') addPort(p.containerPort, `published as ${p.hostPort}`);
      for (const l of listeners ?? []) if (l.scope === 'loopback') addPort(l.port, 'it listens on 127.0.0.1 only');
      return { id: b.id, name: b.name, running: running(b), hosts, ports, listeners, published: b.published };
    },
  };
}
