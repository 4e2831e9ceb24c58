import type { DoctorFix } from '../../../../shared/contract';

/** A fix's button: what it does, in words. */
export function fixLabel(fix: DoctorFix): string {
  switch (fix.kind) {
    case 'start':
      return `Start ${fix.name}`;
    case 'unpause':
      return `Resume ${fix.name}`;
    case 'connect':
      return `Connect ${fix.name} to ${fix.network}`;
    case 'create-network':
      return `Create a network for ${fix.members.map((m) => m.name).join(' and ')}`;
    case 'use-port':
      return `Check port ${fix.port} instead`;
    case 'use-host':
      return `Try ${fix.host} instead`;
    case 'logs':
      return `Open ${fix.name}’s logs`;
    case 'pull-helper':
      return `Pull ${fix.image}`;
  }
}

/** Fixes that change something (a network, a container, an image) ask first. */
export function changesSomething(fix: DoctorFix): boolean {
  return fix.kind !== 'use-port' && fix.kind !== 'use-host' && fix.kind !== 'logs';
}

/** The sentence of the confirmation. */
export function fixQuestion(fix: DoctorFix): string {
  switch (fix.kind) {
    case 'start':
      return `Start ${fix.name}?`;
    case 'unpause':
      return `Resume ${fix.name}?`;
    case 'connect':
      return `Connect ${fix.name} to the network ${fix.network}?${fix.aliases.length ? ` It keeps its names there: ${fix.aliases.join(', ')}.` : ''} Its other networks stay as they are.`;
    case 'create-network':
      return `Create a network (with DNS, so names resolve) and connect ${fix.members.map((m) => m.name).join(' and ')} to it? Their other networks stay as they are.`;
    case 'pull-helper':
      return `Download ${fix.image} (about 2 MB, once)? The checks then run in a tiny container made from it, inside the first container’s network, and it is removed when they end. The volume browser uses the same image.`;
    default:
      return '';
  }
}
