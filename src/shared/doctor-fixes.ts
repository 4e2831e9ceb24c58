import type { CallInput, CallName, DoctorFix } from './contract';

/** One call of the contract, as a fix makes it. */
export type FixCall = { [N in CallName]: { name: N; input: CallInput<N> } }[CallName];

/**
 * What a fix of the network doctor changes, as the ordinary calls of the app (the page confirms
 * with the user first, then makes them in order). `use-port`, `use-host` and `logs` change
 * nothing: they steer the next check or open a page.
 */
export function fixCalls(fix: DoctorFix): FixCall[] {
  switch (fix.kind) {
    case 'start':
      return [{ name: 'containers.start', input: { id: fix.container } }];
    case 'unpause':
      return [{ name: 'containers.unpause', input: { id: fix.container } }];
    case 'connect':
      return [{ name: 'networks.connect', input: { network: fix.network, container: fix.container, aliases: fix.aliases } }];
    case 'create-network':
      return [
        { name: 'networks.create', input: { name: fix.network } },
        ...fix.members.map((m): FixCall => ({
          name: 'networks.connect',
          input: { network: fix.network, container: m.container, aliases: m.aliases },
        })),
      ];
    case 'pull-helper':
      return [{ name: 'volumes.pullHelperImage', input: undefined }];
    default:
      return [];
  }
}

/** The podman commands a fix amounts to, for the confirmation (what a learner would type). */
export function fixCommands(fix: DoctorFix): string[] {
  const alias = (aliases: string[]) => aliases.map((a) => ` --alias ${a}`).join('');
  switch (fix.kind) {
    case 'start':
      return [`podman start ${fix.name}`];
    case 'unpause':
      return [`podman unpause ${fix.name}`];
    case 'connect':
      return [`podman network connect${alias(fix.aliases)} ${fix.network} ${fix.name}`];
    case 'create-network':
      return [
        `podman network create ${fix.network}`,
        ...fix.members.map((m) => `podman network connect${alias(m.aliases)} ${fix.network} ${m.name}`),
      ];
    case 'pull-helper':
      return [`podman pull ${fix.image}`];
    default:
      return [];
  }
}
