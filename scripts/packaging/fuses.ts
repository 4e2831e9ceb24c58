import { type FuseConfig, FuseV1Options, FuseVersion } from '@electron/fuses';

/**
 * The fuses flipped in every packaged binary. They are compiled-in switches that a user of the
 * installed app cannot turn back on with a flag or an environment variable:
 * - no running the app as plain Node (ELECTRON_RUN_AS_NODE), no NODE_OPTIONS, no --inspect: each
 *   would let any local program run code as PodDesk, with its access to the Podman socket;
 * - the app loads only from its app.asar, and the asar's header hash is checked against the one
 *   electron-builder embeds (Windows and macOS: Electron does not check it on Linux);
 * - cookies are encrypted with the OS keychain; pages loaded from file:// get no extra rights
 *   (PodDesk serves its page from poddesk://app, never file://).
 */
export function fuseConfig(platform: string, arch: string): FuseConfig {
  return {
    version: FuseVersion.V1,
    // Apple Silicon refuses a binary whose ad-hoc signature no longer matches its bytes.
    resetAdHocDarwinSignature: platform === 'darwin' && arch === 'arm64',
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}
