import { command, opt, type Command } from './command';

/**
 * The commands behind the container actions. Containers are named by name (what a learner
 * reads in `podman ps`); several at once go in one command, as the CLI takes them.
 */
const names = (targets: string | readonly string[]) => (typeof targets === 'string' ? [targets] : [...targets]);

export const startCommand = (targets: string | readonly string[]): Command => command([['podman', 'start'], names(targets)]);

/** `-t` only when it is not Podman's default of 10 seconds (or the container's own). */
export const stopCommand = (targets: string | readonly string[], timeoutSeconds?: number): Command =>
  command([['podman', 'stop'], timeoutSeconds !== undefined && ['-t', String(timeoutSeconds)], names(targets)]);

export const restartCommand = (targets: string | readonly string[], timeoutSeconds?: number): Command =>
  command([['podman', 'restart'], timeoutSeconds !== undefined && ['-t', String(timeoutSeconds)], names(targets)]);

export const pauseCommand = (target: string): Command => command([['podman', 'pause'], [target]]);
export const unpauseCommand = (target: string): Command => command([['podman', 'unpause'], [target]]);

export const killCommand = (target: string, signal = 'SIGKILL'): Command =>
  command([['podman', 'kill'], signal !== 'SIGKILL' && ['--signal', signal], [target]]);

/** `-f` stops a running one first; `-v` also deletes its anonymous volumes (named ones stay). */
export const removeCommand = (
  targets: string | readonly string[],
  options: { force?: boolean; volumes?: boolean } = {},
): Command => command([['podman', 'rm'], options.force && ['-f'], options.volumes && ['-v'], names(targets)]);

export const renameCommand = (target: string, name: string): Command =>
  command([
    ['podman', 'rename'],
    [target, name],
  ]);

export const commitCommand = (
  target: string,
  reference: string,
  options: { message?: string; author?: string; pause?: boolean } = {},
): Command =>
  command([
    ['podman', 'commit'],
    // OCI images have no commit message: Podman keeps one only in the Docker format.
    options.message ? ['--format', 'docker'] : [],
    options.message ? opt('--message', options.message) : [],
    options.author ? opt('--author', options.author) : [],
    // Podman's own default is not to pause (PodDesk's is to pause, so the files are consistent).
    options.pause && ['--pause'],
    [target, reference],
  ]);

export const logsCommand = (target: string): Command => command([['podman', 'logs'], ['-f'], [target]]);
export const execCommand = (target: string, shell = '/bin/sh'): Command =>
  command([['podman', 'exec'], ['-it'], [target, shell]]);
export const inspectCommand = (target: string): Command => command([['podman', 'inspect'], [target]]);
