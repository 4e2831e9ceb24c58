import { useSyncExternalStore } from 'react';

/**
 * Hash routes (#/containers): the app is one page, and hash changes never navigate the window
 * (main refuses navigation outright).
 */
function current(): string {
  const hash = window.location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash : '/';
}

function subscribeHash(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function useRoute(): string {
  return useSyncExternalStore(subscribeHash, current);
}

export function navigate(path: string): void {
  window.location.hash = path;
}
