import type { DoctorProblem, DoctorReport, DoctorTrap, DoctorVerdict } from '../../../shared/contract';
import type { DoctorFacts } from './facts';
import { findProblems } from './problems';
import { buildSteps } from './steps';

/** Traps the facts alone prove fatal: no probe could show A reaching B past them. */
const CERTAIN: ReadonlySet<DoctorTrap> = new Set([
  'source-not-running',
  'not-running',
  'localhost',
  'internal-network',
  'no-common-network',
  'no-dns',
  'container-port-outside',
]);

function verdictOf(f: DoctorFacts, problems: DoctorProblem[]): DoctorVerdict {
  const connect = f.probes.connect;
  if (connect?.outcome === 'open') return 'reachable';
  if (connect && connect.outcome !== 'no-tool') return 'unreachable';
  if (!f.done) return 'checking';
  return problems.some((p) => p.severity === 'error' && CERTAIN.has(p.trap)) ? 'unreachable' : 'unknown';
}

/**
 * The doctor's answer from what is known so far: the steps in order (pending where a probe has
 * not answered yet), the problems root causes first, and a verdict in one sentence. Pure: the
 * prober calls it after every fact it learns and sends the result as it is.
 */
export function diagnose(f: DoctorFacts): DoctorReport {
  const steps = buildSteps(f);
  const problems = findProblems(f);
  const verdict = verdictOf(f, problems);
  const where = `${f.host}:${f.port}`;
  const first = problems.find((p) => p.severity === 'error');
  // Something answered, but perhaps not B.
  const caveat = problems.find((p) => p.trap === 'wrong-target' || p.trap === 'not-published');
  const http = f.probes.http?.outcome === 'http' ? ` It answers HTTP (${f.probes.http.statusLine}).` : '';
  const summary =
    verdict === 'checking'
      ? `Checking whether ${f.from.name} can reach ${f.to.name} at ${where}…`
      : verdict === 'reachable'
        ? caveat
          ? `${f.from.name} reached ${where}, but look: ${caveat.title}.`
          : `${f.from.name} can reach ${f.to.name} at ${where}.${http}`
        : verdict === 'unreachable'
          ? `${f.from.name} cannot reach ${f.to.name} at ${where}${first ? `: ${first.title}.` : '.'}`
          : `Could not tell whether ${f.from.name} can reach ${f.to.name} at ${where}${first ? `: ${first.title}.` : '.'}`;
  const report: DoctorReport = {
    from: { id: f.from.id, name: f.from.name },
    to: { id: f.to.id, name: f.to.name },
    host: f.host,
    port: f.port,
    verdict,
    summary,
    steps,
    problems,
    done: f.done,
  };
  const runner = f.probes.runner;
  if (runner?.kind === 'exec' || runner?.kind === 'helper') report.via = runner.kind;
  return report;
}
