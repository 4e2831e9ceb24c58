/**
 * Focuses `target` once focus has fallen to the page body (a busy button gave it up, a dialog
 * closing gave it back to something gone), watching a second at most; focus a user or the page
 * put somewhere meaningful is left alone. Returns a function that stops watching.
 */
export function focusWhenLost(target: () => HTMLElement | null, frames = 60): () => void {
  let left = frames;
  let frame = 0;
  const check = () => {
    const active = document.activeElement;
    if (active === null || active === document.body) {
      const el = target();
      if (el?.isConnected) el.focus();
    } else if (--left > 0) frame = requestAnimationFrame(check);
  };
  frame = requestAnimationFrame(check);
  return () => cancelAnimationFrame(frame);
}
