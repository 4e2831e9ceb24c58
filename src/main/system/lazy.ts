/**
 * A value made the first time it is asked for, then kept: for the packages start-up does not
 * need (dockerode, with docker-modem, ssh2 and gRPC, is a third of main's start), loaded with a
 * synchronous `require` where the caller is synchronous.
 */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
