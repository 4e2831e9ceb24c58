import { z } from 'zod';

/**
 * What a string from the page may be. Every string in every input of the contract declares one
 * of these (tests/unit/contract/page-inputs.test.ts walks them all and fails on a string that
 * declares none), so a new field that would carry something else cannot slip in unnoticed.
 *
 * The list is closed on purpose: there is no kind for a path on this computer, for a program to
 * run here, or for a key file. Those enter only from main — a dialog main opened or a file dropped
 * on the window — as a `handle` main issued (src/main/host-paths.ts); the page passes the handle
 * back and never the path.
 */
export const stringKinds = [
  /** An identifier of something the engine or the app owns: container, image, volume, network, stack, model, variable, label key … */
  'name',
  /** Words kept or forwarded as data: messages, titles, label and variable values, terminal input. */
  'text',
  /** A password or token the user typed, sent to a registry through the engine. */
  'secret',
  /** A Compose file's text. What a stack would touch on this computer is shown before it launches. */
  'compose',
  /** An http(s) address (Ollama). */
  'url',
  /** A host name, an IP address or subnet, a registry host. */
  'network-address',
  /** A path inside a volume, resolved under the volume's root in main (never outside it). */
  'volume-path',
  /** A path inside a container. */
  'container-path',
  /** A command line for a container, split into words: it runs inside the container, never on this computer. */
  'container-command',
  /** A path on another machine reached over ssh (the Podman socket there). */
  'remote-path',
  /**
   * A unix socket to connect to, typed when adding a connection. Main only connects to it and
   * speaks HTTP, and only after checking it is a socket that belongs to this user (see
   * src/main/podman/connection/add.ts); it is never read, written or run.
   */
  'socket-path',
  /** Encoded bytes (a base64 image attached to a chat message). */
  'data',
  /** A host path handle main issued (a dialog main opened, a file dropped on the window). */
  'handle',
] as const;
export type StringKind = (typeof stringKinds)[number];

/** Declares what a string schema holds (see `stringKinds`); put it after the string's own checks. */
export function kind<S extends z.ZodType>(what: StringKind, schema: S): S {
  return schema.meta({ kind: what });
}

/** What a host path handle looks like: random, unguessable, and nothing like a path. */
export const HANDLE_PATTERN = /^hp_[A-Za-z0-9_-]{32}$/;

/** A file or folder of this computer, as the page may name it: by the handle main gave it. */
export const hostHandle = kind(
  'handle',
  z.string().regex(HANDLE_PATTERN, 'Not a file or folder chosen in PodDesk: choose it again with the button or by dropping it'),
);

/** What main answers when the user picked something on this computer: the handle, and what to show. */
export interface HostHandle {
  handle: string;
  /** For display only: the path or the file's name as the user knows it. */
  name: string;
}
