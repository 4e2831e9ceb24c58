import { useSyncExternalStore } from 'react';

/**
 * Whether someone can be looking at the window: shown and focused. Work done only for the eyes
 * (live figures that nobody reads) pauses while it is not, and resumes at once when it is.
 */
function isActive(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

function subscribe(listener: () => void): () => void {
  document.addEventListener('visibilitychange', listener);
  window.addEventListener('focus', listener);
  window.addEventListener('blur', listener);
  return () => {
    document.removeEventListener('visibilitychange', listener);
    window.removeEventListener('focus', listener);
    window.removeEventListener('blur', listener);
  };
}

export function useWindowActive(): boolean {
  return useSyncExternalStore(subscribe, isActive);
}
