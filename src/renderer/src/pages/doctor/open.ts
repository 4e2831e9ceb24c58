import { useSyncExternalStore } from 'react';

/** What the doctor's dialog opens with: A (from), maybe B (to), maybe the name and port to try. */
export interface DoctorRequest {
  from?: string;
  to?: string;
  host?: string;
  port?: number;
  /** Run the check at once when B's defaults are known (two nodes picked on the Topology page). */
  autoStart?: boolean;
}

let current: (DoctorRequest & { key: number }) | null = null;
let counter = 0;
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

/**
 * One doctor dialog for the whole app, opened from anywhere (a container's menu, a stack's
 * service, the Topology page) without each page mounting its own.
 */
export function openDoctor(request: DoctorRequest): void {
  current = { ...request, key: ++counter };
  notify();
}

export function closeDoctor(): void {
  current = null;
  notify();
}

export function useDoctorRequest() {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}
