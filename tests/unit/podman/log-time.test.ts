import { describe, expect, it } from 'vitest';
import { timeNs } from '../../../src/main/podman/containers/log-follow';

describe('log line times', () => {
  it('orders Podman’s trimmed fractions by value, not as text', () => {
    const a = timeNs('2026-11-30T09:50:01.123Z')!;
    const b = timeNs('2026-11-30T09:50:01.5Z')!;
    const c = timeNs('2026-11-30T09:50:01.500000001Z')!;
    expect(a < b && b < c).toBe(true);
    expect('2026-11-30T09:50:01.5Z' > '2026-11-30T09:50:01.500000001Z').toBe(true);
  });

  it('reads offsets and whole seconds', () => {
    expect(timeNs('2026-11-30T10:50:01+01:00')).toBe(timeNs('2026-11-30T09:50:01.000000000Z'));
  });

  it('has no time for what is not one', () => {
    expect(timeNs('yesterday')).toBeUndefined();
    expect(timeNs('')).toBeUndefined();
  });
});
