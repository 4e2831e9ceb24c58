import { describe, expect, it } from 'vitest';
import { planLine, portText } from '../../../src/renderer/src/pages/stacks/plan-line';
import type { StackPlan } from '../../../src/shared/contract';

const base: StackPlan = {
  project: 'ai-webapp',
  networks: [{ key: 'default', name: 'ai-webapp_default', action: 'create' }],
  volumes: [{ key: 'models', name: 'ollama_models', action: 'exists' }],
  images: [
    { ref: 'docker.io/ollama/ollama:latest', services: ['ollama'], action: 'pull' },
    { ref: 'localhost/poddesk/flask-chat:latest', services: ['web'], action: 'build', context: '/t/flask-chat' },
  ],
  services: [
    {
      name: 'ollama',
      container: 'ai-webapp-ollama-1',
      action: 'create',
      reason: 'new',
      dependsOn: [],
      ports: [port(11434, 11434)],
    },
    {
      name: 'web',
      container: 'ai-webapp-web-1',
      action: 'create',
      reason: 'new',
      dependsOn: ['ollama'],
      ports: [port(5050, 5000)],
    },
  ],
  orphans: [],
  order: ['ollama', 'web'],
  hostAccess: { items: [], fingerprint: '0'.repeat(64), needsConfirmation: false },
  problems: [],
  warnings: [],
  upToDate: false,
};

function port(hostPort: number, containerPort: number) {
  return { hostIp: '', hostPort, containerPort, protocol: 'tcp' };
}

describe('the launch panel’s one-line plan', () => {
  it('says what a first launch pulls, builds, creates and publishes', () => {
    expect(planLine(base)).toBe(
      'pull docker.io/ollama/ollama:latest · build localhost/poddesk/flask-chat:latest · create network ai-webapp_default · ' +
        'create 2 containers · publish ports 11434→11434, 5050→5000',
    );
  });

  it('leaves out what is kept, and names a relaunch’s recreations and removals', () => {
    const relaunch: StackPlan = {
      ...base,
      networks: [{ ...base.networks[0]!, action: 'exists' }],
      volumes: [
        { key: 'notes', name: 'n1', action: 'create' },
        { key: 'more', name: 'n2', action: 'create' },
      ],
      images: [],
      services: [
        { ...base.services[0]!, action: 'keep' },
        { ...base.services[1]!, action: 'recreate' },
      ],
      orphans: [{ name: 'ai-webapp-old-1', service: 'old' }],
    };
    expect(planLine(relaunch)).toBe(
      'create volumes n1, n2 · recreate 1 container · publish port 5050→5000 · remove 1 old container',
    );
    expect(
      planLine({ ...base, images: [], networks: [], volumes: [], services: [{ ...base.services[0]!, action: 'keep' }] }),
    ).toBe('nothing to change');
  });

  it('writes a port with the address it is published on, when that is one address', () => {
    const at = (hostIp: string, hostPort = 11434) => portText({ hostIp, hostPort, containerPort: 11434 });
    expect(at('127.0.0.1')).toBe('127.0.0.1:11434→11434');
    expect(at('')).toBe('11434→11434');
    expect(at('0.0.0.0')).toBe('11434→11434');
    expect(at('::1')).toBe('[::1]:11434→11434');
    expect(at('', 0)).toBe('any→11434');
  });
});
