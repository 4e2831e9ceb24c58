import { z } from 'zod';
import { parseIp } from '../cidr';
import { containerRef, type PortMapping } from './containers';
import { call, stream } from './define';
import { kind } from './kinds';

/**
 * The network doctor: "Can A reach B?" checked from inside A, step by step, with the classic
 * traps explained and fixes that use the app's own actions.
 */

export type DoctorStepId = 'running' | 'networks' | 'tools' | 'resolve' | 'listening' | 'connect' | 'by-ip' | 'http';

/** `pending`: not known yet (the check is still running); `skip`: not checked, and why is in `detail`. */
export type DoctorStatus = 'pending' | 'pass' | 'fail' | 'warn' | 'info' | 'skip';

export interface DoctorStep {
  id: DoctorStepId;
  title: string;
  status: DoctorStatus;
  detail?: string;
  /** What the tool printed, when it says more than the detail (shown folded). */
  output?: string;
}

export type DoctorTrap =
  | 'source-not-running'
  | 'not-running'
  | 'unhealthy'
  | 'localhost'
  | 'no-common-network'
  | 'internal-network'
  | 'no-dns'
  | 'wrong-name'
  | 'wrong-target'
  | 'loopback-only'
  | 'host-port-inside'
  | 'container-port-outside'
  | 'not-published'
  | 'not-listening'
  | 'needs-helper'
  | 'no-tools'
  | 'unexplained';

/** A container as a fix names it. */
export interface DoctorMember {
  container: string;
  name: string;
  /** Names it should answer to on the network (its Compose service, its aliases elsewhere). */
  aliases: string[];
}

/** What a fix does. Each one is an ordinary action of the app, confirmed by the user first. */
export type DoctorFix =
  | { kind: 'start'; container: string; name: string }
  | { kind: 'unpause'; container: string; name: string }
  | ({ kind: 'connect'; network: string } & DoctorMember)
  | { kind: 'create-network'; network: string; members: DoctorMember[] }
  | { kind: 'use-port'; port: number }
  | { kind: 'use-host'; host: string }
  | { kind: 'logs'; container: string; name: string }
  | { kind: 'pull-helper'; image: string };

export interface DoctorProblem {
  trap: DoctorTrap;
  severity: 'error' | 'warning';
  title: string;
  /** Why, in plain words. */
  explanation: string;
  /** How to fix it, in plain words (the actions do it for you where the app can). */
  remedy: string;
  fixes: DoctorFix[];
}

export type DoctorVerdict = 'checking' | 'reachable' | 'unreachable' | 'unknown';

export interface DoctorReport {
  from: { id: string; name: string };
  to: { id: string; name: string };
  host: string;
  port: number;
  verdict: DoctorVerdict;
  /** One sentence: the answer to "Can A reach B?". */
  summary: string;
  steps: DoctorStep[];
  problems: DoctorProblem[];
  /** Where the checks ran: in A itself, or in a helper container that joined A's network. */
  via?: 'exec' | 'helper';
  done: boolean;
}

/** Something B listens on, read from its /proc/net/tcp{,6}. */
export interface DoctorListener {
  address: string;
  port: number;
  /** `all`: every address (0.0.0.0 or ::); `loopback`: 127.0.0.1 or ::1, B alone can reach it. */
  scope: 'all' | 'loopback' | 'address';
}

/** What the dialog offers for B: names to try and ports, each with where it comes from. */
export interface DoctorTargetInfo {
  id: string;
  name: string;
  running: boolean;
  hosts: { host: string; why: string }[];
  ports: { port: number; why: string }[];
  /** What B listens on, when it could be read without a helper (null: not known). */
  listeners: DoctorListener[] | null;
  published: PortMapping[];
}

const DNS_NAME = /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?$/;

/** A host name or an IP address to try from A: a DNS name, an IPv4 or an IPv6 address. */
export const reachHost = kind(
  'network-address',
  z
    .string()
    .trim()
    .min(1, 'A name or an address is required')
    .max(253)
    .refine((t) => DNS_NAME.test(t) || parseIp(t) !== null, 'A host name (letters, digits, - . _) or an IP address'),
);

export const doctorCheckInput = z.object({
  from: containerRef,
  to: containerRef,
  host: reachHost,
  port: z.number().int().min(1, 'Port 1–65535').max(65535, 'Port 1–65535'),
  /** Send an HTTP request when the port is open. */
  http: z.boolean().default(true),
});
export type DoctorCheckInput = z.input<typeof doctorCheckInput>;

export const doctorCalls = {
  /** Names and ports worth trying for a container (reads what it listens on when it can, starts nothing). */
  'doctor.target': call(z.object({ id: containerRef })).returns<DoctorTargetInfo>(),
};

export const doctorStreams = {
  /** Runs the checks; each item is the whole report so far, the last one has `done: true`. */
  'doctor.check': stream(doctorCheckInput).emits<DoctorReport>(),
};
