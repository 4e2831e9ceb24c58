import { useMemo, useRef } from 'react';
import { focusWhenLost } from './focus-lost';

/**
 * A dialog opened from a menu item gives focus back, when it closes, to that item: gone by then,
 * so focus falls to the page body and a keyboard user starts again from the top. This remembers
 * what opened the menu (the ⋯ or the button, focused as it was pressed) and focuses it again once
 * the dialog has closed and left focus nowhere.
 */
export function useMenuOpener(): { remember: () => void; restore: () => void } {
  const opener = useRef<HTMLElement | null>(null);
  return useMemo(
    () => ({
      remember() {
        const active = document.activeElement;
        opener.current = active instanceof HTMLElement && active !== document.body ? active : null;
      },
      restore() {
        const target = opener.current;
        opener.current = null;
        if (target) focusWhenLost(() => target);
      },
    }),
    [],
  );
}
