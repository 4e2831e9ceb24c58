/**
 * Waits `ms`, or less when `signal` aborts; resolves either way (the caller looks at the
 * signal). The abort listener goes when the timer fires, so a loop that pauses many times on
 * one long-lived signal does not pile listeners on it.
 */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
