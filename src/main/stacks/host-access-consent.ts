import type { HostAccess, HostAccessItem, HostAccessKind } from '../../shared/contract';
import type { ConsentRequest } from '../consent';

/**
 * The question main asks the user (a dialog, or the terminal with a code) before a stack may use
 * what its "This computer" list names: one short line per item, with every field the fingerprint
 * covers, so what the user allows is what is fingerprinted.
 */
const kindLabel: Record<HostAccessKind, string> = {
  mount: 'Folder or file',
  relabel: 'SELinux relabel',
  device: 'Device',
  'env-file': 'Env file',
  'build-context': 'Build folder',
  environment: 'Variable from PodDesk’s environment',
  'widens-access': 'Wider access',
};

export function hostAccessLine(item: HostAccessItem): string {
  const where = item.realPath ? `${item.subject} (really ${item.realPath})` : item.subject;
  const into = item.target ? ` → ${item.target}` : '';
  const access = item.access ? `, ${item.access}` : '';
  const services = item.services.length ? ` — ${item.services.join(', ')}` : '';
  return `${kindLabel[item.kind]}: ${where}${into}${access}${services}`;
}

export function hostAccessConsentRequest(stack: string, access: HostAccess, code?: string): ConsentRequest {
  const n = access.items.length;
  return {
    subject: `stack:${stack}:${access.fingerprint}`,
    title: `Let the stack “${stack}” use ${n === 1 ? 'this' : `these ${n} things`} on this computer?`,
    intro:
      'Its containers get these from this computer beyond their own volumes. Allow only a file you trust with them; ' +
      'PodDesk asks again if the list changes.',
    lines: access.items.map(hostAccessLine),
    allowLabel: 'Allow',
    ...(code !== undefined ? { code } : {}),
  };
}
