import type { ConsentPending } from '../shared/contract';

/**
 * Asking the person at this computer, not the page. The page is untrusted: a yes it sends is no
 * yes. So where a call needs the user's agreement (what a stack will touch on this computer), main
 * asks through a channel the page cannot reach: a native message box in the desktop app
 * (electron/consent.ts), a one-time code printed in the terminal that started the browser host
 * (serve/terminal-consent.ts). The tests pass a fake.
 */
export interface ConsentRequest {
  /**
   * Exactly what is agreed to (a stack and the fingerprint of its list): a code answers for this
   * subject only.
   */
  subject: string;
  /** The question, one line: "Let the stack “shop” use these on this computer?" */
  title: string;
  /** A sentence before the list. */
  intro: string;
  /** What it is about, one short line each; a dialog may show only the first ones. */
  lines: string[];
  /** The yes button: "Allow". */
  allowLabel: string;
  /** What the user typed (terminal code); absent when the page only asks main to ask. */
  code?: string;
}

export type ConsentAnswer =
  | { answer: 'allowed' }
  /** The user said no, or can no longer be asked (too many wrong codes). */
  | { answer: 'refused'; message: string }
  /**
   * The user must type the code main printed. `codePending`: a code is waiting for this subject
   * (else ask again without a code for a new one). `problem`: why the code given did not do.
   */
  | { answer: 'code-required'; codePending: boolean; message: string; problem?: string };

/** An answer that is not a yes, as the page is told it; null for a yes. */
export function pendingConsent(answer: ConsentAnswer): ConsentPending | null {
  if (answer.answer === 'allowed') return null;
  if (answer.answer === 'refused') return { state: 'refused', message: answer.message };
  const { answer: _, ...rest } = answer;
  return { state: 'code-required', ...rest };
}

export interface Consent {
  /** How the user is asked, for the page's wording: a dialog, or a code printed in a terminal. */
  readonly how: 'dialog' | 'terminal-code';
  ask(request: ConsentRequest): Promise<ConsentAnswer>;
}

/**
 * A line as the user will read it, whatever the page put in it: no control characters (a
 * newline would forge a line of its own, an escape sequence would repaint the terminal and hide
 * the code), no bidirectional overrides (which reorder what is shown), and not longer than `max`
 * (the middle gives way, so both the start and the end of a path stay).
 */
export function plainLine(text: string, max = 160): string {
  const shown = [...text].map((c) => {
    const code = c.codePointAt(0)!;
    return hidden(code) ? `\\u{${code.toString(16)}}` : c;
  });
  return shorten([...shown.join('')], max);
}

/** C0 and C1 controls, DEL, line and paragraph separators, bidi marks, embeddings, overrides and isolates. */
const hidden = (c: number) =>
  c < 0x20 ||
  (c >= 0x7f && c <= 0x9f) ||
  c === 0x2028 ||
  c === 0x2029 ||
  (c >= 0x202a && c <= 0x202e) ||
  (c >= 0x2066 && c <= 0x2069) ||
  c === 0x200e ||
  c === 0x200f ||
  c === 0x061c;

function shorten(chars: string[], max: number): string {
  if (chars.length <= max) return chars.join('');
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}
