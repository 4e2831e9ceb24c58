/** Linux signal numbers (what Podman 4 shows and takes) for the names images and people use. */
const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGTERM: 15,
  SIGWINCH: 28,
  SIGPWR: 30,
  SIGRTMIN: 34,
};

/** "SIGQUIT", "QUIT", "3" or 3 → 3; undefined when it cannot be told. */
export function signalNumber(signal: number | string | undefined): number | undefined {
  if (signal === undefined || signal === '') return undefined;
  if (typeof signal === 'number') return signal;
  if (/^\d+$/.test(signal)) return Number(signal);
  const name = signal.toUpperCase();
  return SIGNALS[name.startsWith('SIG') ? name : `SIG${name}`];
}

/** 3 → "SIGQUIT"; a number without a name stays a number. */
export const signalName = (n: number) => Object.keys(SIGNALS).find((k) => SIGNALS[k] === n) ?? String(n);
