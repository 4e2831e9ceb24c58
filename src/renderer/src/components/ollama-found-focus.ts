import { useEffect, useRef, type RefObject } from 'react';
import { useOllamaStatus } from '../api/ollama';

/**
 * Ollama answers again after it could not be reached: the panel that said so (its Launch button,
 * the launch's progress) is gone, and focus with it. Put focus on what comes next on the page
 * rather than leave a keyboard user on the page body.
 */
export function useFocusWhenOllamaFound(target: RefObject<HTMLElement | null>): void {
  const state = useOllamaStatus().state;
  const before = useRef(state);
  useEffect(() => {
    const was = before.current;
    before.current = state;
    if (was !== 'unreachable' || state !== 'reachable') return;
    const active = document.activeElement;
    if (active === null || active === document.body) target.current?.focus();
  }, [state, target]);
}
