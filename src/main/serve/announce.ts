import type { Host } from './host';

/**
 * The browser host's start, once it listens: the link is printed, and with `open` the user's
 * browser is sent there (a shortcut started it with no console to print to). The opener is
 * passed in; a browser that cannot be opened leaves the printed link, not a failed start.
 */
export async function announceHost(options: {
  listen: () => Promise<Host>;
  print: (line: string) => void;
  open?: (url: string) => Promise<void>;
}): Promise<Host> {
  const host = await options.listen();
  options.print(`PodDesk is at ${host.entryUrl}`);
  if (options.open) {
    try {
      await options.open(host.entryUrl);
    } catch (error) {
      options.print(
        `Could not open your browser (${error instanceof Error ? error.message : String(error)}): open the link above.`,
      );
    }
  }
  return host;
}
