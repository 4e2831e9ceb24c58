/** Built by scripts/contract-names-plugin.ts from the contract: the names only, no schemas. */
declare module 'virtual:poddesk-contract-names' {
  import type { CallName, StreamName } from './contract';
  export const callNames: readonly CallName[];
  export const streamNames: readonly StreamName[];
}
