import type { Plugin } from 'vite';
import { callNames, streamNames } from '../src/shared/contract';

/**
 * `virtual:poddesk-contract-names`: the contract's call and stream names as two plain arrays,
 * read from the contract at build time. The preload and the browser bridge are built from these
 * names, so neither carries the schemas (zod) into the page.
 */
export const CONTRACT_NAMES_ID = 'virtual:poddesk-contract-names';

export function contractNames(): Plugin {
  const resolved = `\0${CONTRACT_NAMES_ID}`;
  return {
    name: 'poddesk-contract-names',
    resolveId: (source) => (source === CONTRACT_NAMES_ID ? resolved : undefined),
    load: (id) =>
      id === resolved
        ? `export const callNames = ${JSON.stringify(callNames)};\nexport const streamNames = ${JSON.stringify(streamNames)};\n`
        : undefined,
  };
}
