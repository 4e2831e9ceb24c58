import { describe, expect, it } from 'vitest';
import type { StackDetail, StackPlan, StackServiceView, StackSummary } from '../../../src/shared/contract';
import { argvOf, formatCommand, type Command } from '../../../src/shared/podman-commands';
import { stackCommands } from '../../../src/renderer/src/pages/stacks/stack-commands';

const line = (cmd: Command) => argvOf(cmd).join(' ');

const service = (name: string, container?: string): StackServiceView => ({
  name,
  image: `docker.io/library/${name}:latest`,
  build: false,
  ports: [],
  links: [],
  oneShot: false,
  ...(container ? { container: { id: `id-${name}`, name: container, state: 'running' as const } } : {}),
});

const summary = (over: Partial<StackSummary> = {}): StackSummary => ({
  id: 'ai-lab',
  project: 'ai-lab',
  title: 'AI lab',
  source: 'builtin',
  status: 'running',
  // Listed web first; the plan starts ollama first (web depends on it).
  services: [service('web', 'ai-lab-web-1'), service('ollama', 'ai-lab-ollama-1')],
  volumes: ['ai-lab_models'],
  launching: false,
  ...over,
});

const detail = (over: Partial<StackDetail> = {}): StackDetail => ({
  ...summary(),
  file: '/opt/poddesk/stacks/ai lab/compose.yaml',
  issues: [],
  editable: true,
  variables: [
    { name: 'BIND_ADDRESS', default: '127.0.0.1', value: '0.0.0.0', source: 'saved', required: false, secret: false },
    { name: 'PORT', default: '8080', value: '8080', source: 'saved', required: false, secret: false },
    { name: 'HOME_DIR', value: '/home/x', source: 'env-file', required: false, secret: false },
    { name: 'TOKEN', value: 's3cret', source: 'generated', required: true, secret: true },
  ],
  ...over,
});

const plan = (over: Partial<StackPlan> = {}): StackPlan => ({
  project: 'ai-lab',
  networks: [
    { key: 'default', name: 'ai-lab_default', action: 'exists' },
    { key: 'shared', name: 'proxy', action: 'external' },
  ],
  volumes: [],
  images: [],
  services: [],
  orphans: [],
  order: ['ollama', 'web'],
  hostAccess: { items: [], fingerprint: '', needsConfirmation: false },
  problems: [],
  warnings: [],
  upToDate: true,
  ...over,
});

describe('a stack as commands', () => {
  it('launches with podman-compose and its file, with the variables the user changed', () => {
    const cmds = stackCommands(summary(), detail(), plan());
    expect(cmds.launch.map((c) => formatCommand(c, 'bash', 200))).toEqual([
      "BIND_ADDRESS=0.0.0.0 podman-compose -f '/opt/poddesk/stacks/ai lab/compose.yaml' -p ai-lab up -d",
    ]);
    expect(formatCommand(cmds.launch[0]!, 'powershell', 200).split('\n')[0]).toBe("$env:BIND_ADDRESS = '0.0.0.0'");
    // A secret stays out of the command; the note says where it is.
    expect(cmds.notes.join(' ')).toMatch(/Set TOKEN in your shell first/);
    // The naming difference with podman-compose is said, not hidden.
    expect(cmds.notes.join(' ')).toMatch(/project_service_1/);
  });

  it('acts on the containers by name in the plan’s order, stops and removes dependents first', () => {
    const cmds = stackCommands(summary(), detail(), plan());
    expect(cmds.start.map(line)).toEqual(['podman start ai-lab-ollama-1 ai-lab-web-1']);
    expect(cmds.stop.map(line)).toEqual(['podman stop ai-lab-web-1 ai-lab-ollama-1']);
    expect(cmds.restart.map(line)).toEqual(['podman restart ai-lab-ollama-1 ai-lab-web-1']);
    // The shared (external) network stays; the volumes only go when the data goes.
    expect(cmds.remove(false).map(line)).toEqual([
      'podman rm -f ai-lab-web-1 ai-lab-ollama-1',
      'podman network rm ai-lab_default',
    ]);
    expect(cmds.remove(true).map(line)).toEqual([
      'podman rm -f -v ai-lab-web-1 ai-lab-ollama-1',
      'podman network rm ai-lab_default',
      'podman volume rm ai-lab_models',
    ]);
  });

  it('asks for the file to be saved when PodDesk holds an edited version', () => {
    const cmds = stackCommands(summary({ modified: true }), detail({ modified: true }), plan());
    expect(line(cmds.launch[0]!)).toBe('podman-compose -p ai-lab up -d');
    expect(cmds.launch[0]!.env).toEqual({ BIND_ADDRESS: '0.0.0.0' });
    expect(cmds.notes.join(' ')).toMatch(/save its Compose file/);
  });

  it('has nothing to start or remove before the first launch, and no network it does not know', () => {
    const none = stackCommands(summary({ status: 'not-created', services: [service('web')] }), detail(), plan({ networks: [] }));
    expect([...none.start, ...none.stop, ...none.restart, ...none.remove(true)]).toEqual([]);
    expect(none.launch).toHaveLength(1);
    const noPlan = stackCommands(summary(), detail());
    expect(noPlan.start.map(line)).toEqual(['podman start ai-lab-web-1 ai-lab-ollama-1']);
    expect(noPlan.notes.join(' ')).toMatch(/podman network ls --filter label=com.docker.compose.project=ai-lab/);
  });

  it('for a stack another tool started: no launch, its containers by name', () => {
    const cmds = stackCommands(summary({ id: 'project:web', project: 'web', source: 'external', volumes: [] }));
    expect(cmds.launch).toEqual([]);
    expect(cmds.stop.map(line)).toEqual(['podman stop ai-lab-ollama-1 ai-lab-web-1']);
    expect(cmds.notes.join(' ')).toMatch(/another tool/);
  });

  it('says podman-compose’s down finds nothing of a stack named as docker compose names it, and what to do instead', () => {
    const cmds = stackCommands(summary(), detail(), plan());
    expect(cmds.down(false)).toEqual([]);
    expect(cmds.down(true)).toEqual([]);
    const notes = cmds.notes.join(' ');
    expect(notes).toMatch(/its down, stop, start and logs look for its own names: they find nothing here and change nothing/);
    expect(notes).toMatch(/“Container names” to “Like podman-compose”/);
  });

  it('gives podman-compose’s down, with every file, for a stack named as podman-compose names it', () => {
    const named = summary({ services: [service('web', 'ai-lab_web_1'), service('ollama', 'ai-lab_ollama_1')] });
    const overrideFiles = [
      { path: '/opt/poddesk/stacks/ai lab/compose.override.yaml', origin: 'auto' as const },
      { path: '/home/x/gpu.yaml', origin: 'user' as const },
    ];
    const cmds = stackCommands(named, detail({ containerNames: 'podman-compose', overrideFiles }), plan());
    const files =
      "-f '/opt/poddesk/stacks/ai lab/compose.yaml' -f '/opt/poddesk/stacks/ai lab/compose.override.yaml' -f /home/x/gpu.yaml";
    // podman-compose 1.0.x leaves the network: it is removed after.
    expect(cmds.down(false).map((c) => formatCommand(c, 'bash', 300))).toEqual([
      `BIND_ADDRESS=0.0.0.0 podman-compose ${files} -p ai-lab down`,
      'podman network rm ai-lab_default',
    ]);
    expect(line(cmds.down(true)[0]!)).toMatch(/ -p ai-lab down -v$/);
    expect(formatCommand(cmds.launch[0]!, 'bash', 300)).toBe(`BIND_ADDRESS=0.0.0.0 podman-compose ${files} -p ai-lab up -d`);
    expect(cmds.notes.join(' ')).toMatch(/named as podman-compose names them/);
    // Nothing to take down before a launch; no file to name when PodDesk holds an edited one.
    expect(
      stackCommands(
        summary({ status: 'not-created', services: [service('web')] }),
        detail({ containerNames: 'podman-compose' }),
      ).down(false),
    ).toEqual([]);
    const edited = stackCommands(named, detail({ containerNames: 'podman-compose', modified: true, overrideFiles }), plan());
    expect(line(edited.down(false)[0]!)).toBe('podman-compose -p ai-lab down');
    expect(edited.downNotes.join(' ')).toMatch(/save its Compose file/);
    expect(cmds.downNotes.join(' ')).toMatch(/Set TOKEN in your shell first/);
  });
});
