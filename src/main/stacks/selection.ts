import type { ComposeProject, ServiceSpec } from './compose/model';

/**
 * Which services a launch starts, as docker compose decides it with profiles:
 *
 *   - a service with no profiles always runs; one with profiles runs when one of them is on
 *     (`*` turns every profile on);
 *   - a service named explicitly (`docker compose up NAME`) runs whatever its profiles, and its
 *     profiles count as on for the services it depends on;
 *   - a service a running one needs (a required depends_on) must itself be on: otherwise the
 *     launch is refused, naming the profile to turn on, as docker compose refuses it.
 */
export interface Selection {
  /** Services to start, in file order. */
  names: string[];
  /** Services left out because their profiles are off: name → its profiles. */
  skipped: { name: string; profiles: string[] }[];
  /** Required dependencies that are off. */
  problems: { service: string; dependency: string; profiles: string[] }[];
}

export function activeProfiles(project: Pick<ComposeProject, 'services'>, on: string[], targets: string[] = []): Set<string> {
  const active = new Set(on);
  for (const name of targets) for (const p of project.services.find((s) => s.name === name)?.profiles ?? []) active.add(p);
  return active;
}

export function isEnabled(service: ServiceSpec, active: Set<string>): boolean {
  return service.profiles.length === 0 || active.has('*') || service.profiles.some((p) => active.has(p));
}

export function selectServices(project: Pick<ComposeProject, 'services'>, on: string[], targets: string[] = []): Selection {
  const active = activeProfiles(project, on, targets);
  const byName = new Map(project.services.map((s) => [s.name, s]));
  const chosen = new Set<string>();
  const problems: Selection['problems'] = [];
  const visit = (name: string, explicit: boolean) => {
    if (chosen.has(name)) return;
    const service = byName.get(name);
    if (!service) return;
    chosen.add(name);
    for (const [dep, d] of Object.entries(service.dependsOn)) {
      const other = byName.get(dep);
      if (!other) continue;
      if (isEnabled(other, active)) visit(dep, false);
      else if (d.required) problems.push({ service: name, dependency: dep, profiles: other.profiles });
    }
    void explicit;
  };
  if (targets.length > 0) for (const name of targets) visit(name, true);
  else for (const s of project.services) if (isEnabled(s, active)) visit(s.name, false);
  return {
    names: project.services.filter((s) => chosen.has(s.name)).map((s) => s.name),
    skipped: project.services
      .filter((s) => !chosen.has(s.name) && s.profiles.length > 0)
      .map((s) => ({ name: s.name, profiles: s.profiles })),
    problems,
  };
}

/** Every profile named in the file, in order of first use. */
export function profilesOf(project: Pick<ComposeProject, 'services'>): string[] {
  return [...new Set(project.services.flatMap((s) => s.profiles))];
}
