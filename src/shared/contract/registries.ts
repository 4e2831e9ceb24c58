import { z } from 'zod';
import { call } from './define';
import { kind } from './kinds';

export interface RegistryLogin {
  server: string;
  username: string;
  /** Whether the engine confirmed the credentials when they were saved. */
  verified: boolean;
}

export interface RegistryLogins {
  logins: RegistryLogin[];
  /** encrypted: kept with the OS keychain (Electron safeStorage); memory: until PodDesk closes. */
  storage: 'encrypted' | 'memory';
  /** Why credentials are not kept on disk, when they are not. */
  note?: string;
}

/** host[:port], as registries are named in image references. */
export const registryHost = kind(
  'network-address',
  z
    .string()
    .trim()
    .toLowerCase()
    .transform((s) => s.replace(/^https?:\/\//, '').replace(/\/+$/, ''))
    .pipe(
      z
        .string()
        .min(1, 'A registry is required')
        .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/, 'A registry host, e.g. quay.io or 127.0.0.1:5000'),
    ),
);

export const registryCalls = {
  'registries.list': call(z.void()).returns<RegistryLogins>(),
  /** Checks the credentials with the registry (through the engine), then keeps them. */
  'registries.login': call(
    z.object({
      server: registryHost,
      username: kind('name', z.string().min(1, 'A user name is required').max(256)),
      password: kind('secret', z.string().min(1, 'A password or token is required').max(8192)),
    }),
  ).returns<RegistryLogin>(),
  'registries.logout': call(z.object({ server: registryHost })).returns<void>(),
};
