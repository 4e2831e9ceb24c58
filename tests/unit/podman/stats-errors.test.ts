import { describe, expect, it } from 'vitest';
import { explainStatsError } from '../../../src/main/podman/containers/stats';
import { AppError } from '../../../src/shared/errors';

describe('stats refused by the engine', () => {
  it('says in plain words why rootless Podman on cgroups v1 has none, keeping the engine’s', () => {
    const engine = 'CONFLICT (HTTP code 409) unexpected - container stats resource only available for cgroup v2 ';
    const explained = explainStatsError(new AppError('CONFLICT', engine)) as AppError;
    expect(explained).toBeInstanceOf(AppError);
    expect(explained.code).toBe('CONFLICT');
    expect(explained.message).toMatch(/^Live statistics are not available: Podman runs rootless here on cgroups v1/);
    expect(explained.details).toEqual({ engine });
  });

  it('leaves every other error as it was', () => {
    const other = new AppError('NOT_FOUND', 'no container with name or ID "x" found');
    expect(explainStatsError(other)).toBe(other);
  });
});
