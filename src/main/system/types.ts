/**
 * The parts of the operating system the services touch, as plain interfaces so that each
 * platform's behaviour can be tested on Linux with fakes.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export interface FileSystem {
  exists(path: string): Promise<boolean>;
  readFile(path: string): Promise<Buffer>;
  readdir(path: string): Promise<string[]>;
}

export interface RunResult {
  /** null when the program could not be started at all. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export type Runner = (file: string, args: readonly string[], options?: { timeoutMs?: number }) => Promise<RunResult>;
