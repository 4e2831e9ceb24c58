import type { z } from 'zod';
import type { CallSpec, StreamSpec } from './define';
import { connectionCalls, connectionStreams } from './connection';
import { containerCalls, containerStreams } from './containers';
import { doctorCalls, doctorStreams } from './doctor';
import { execCalls, execStreams } from './exec';
import { imageCalls, imageStreams } from './images';
import { podCalls, podStreams } from './pods';
import { registryCalls } from './registries';
import { networkCalls, networkStreams } from './networks';
import { settingsCalls } from './settings';
import { volumeCalls, volumeStreams } from './volumes';
import { ollamaCalls, ollamaStreams } from './ollama';
import { chatCalls, chatStreams } from './chat';
import { stackCalls, stackStreams } from './stacks';
import { launcherCalls } from './launcher';
import { homeCalls, homeStreams } from './home';

/**
 * The one contract between the renderer and main. Each domain declares its calls and streams in
 * its own file; this is where they meet. Names are `domain.action`.
 */
export const calls = {
  ...connectionCalls,
  ...containerCalls,
  ...execCalls,
  ...imageCalls,
  ...podCalls,
  ...registryCalls,
  ...settingsCalls,
  ...volumeCalls,
  ...networkCalls,
  ...doctorCalls,
  ...ollamaCalls,
  ...chatCalls,
  ...stackCalls,
  ...launcherCalls,
  ...homeCalls,
};

export const streams = {
  ...connectionStreams,
  ...containerStreams,
  ...execStreams,
  ...imageStreams,
  ...podStreams,
  ...volumeStreams,
  ...networkStreams,
  ...doctorStreams,
  ...ollamaStreams,
  ...chatStreams,
  ...stackStreams,
  ...homeStreams,
};

export type Calls = typeof calls;
export type Streams = typeof streams;
export type CallName = keyof Calls;
export type StreamName = keyof Streams;

export const callNames = Object.keys(calls) as CallName[];
export const streamNames = Object.keys(streams) as StreamName[];

/** What the caller passes (before defaults are applied). */
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
/** What the handler receives (after parsing and defaults). */
export type CallArgs<N extends CallName> = z.output<Calls[N]['input']>;
export type CallOutput<N extends CallName> = Calls[N] extends CallSpec<z.ZodType, infer O> ? O : never;

export type StreamInput<N extends StreamName> = z.input<Streams[N]['input']>;
export type StreamArgs<N extends StreamName> = z.output<Streams[N]['input']>;
export type StreamItem<N extends StreamName> = Streams[N] extends StreamSpec<z.ZodType, infer T> ? T : never;

export * from './connection';
export * from './containers';
export * from './exec';
export * from './images';
export * from './pods';
export * from './registries';
export * from './settings';
export * from './volumes';
export * from './networks';
export * from './doctor';
export * from './ollama';
export * from './chat';
export * from './stacks';
export * from './launcher';
export * from './home';
export * from './kinds';
export * from './consent';
export type { CallSpec, StreamSpec } from './define';
