import { z } from 'zod';
import { kind } from './kinds';

/**
 * Where a call needs the user's yes, the page cannot give it: main asks the user (a dialog in the
 * desktop app; in the browser, a code it prints in the terminal where PodDesk was started, which
 * the user types back). These are the answers that are not yet a yes.
 */
export type ConsentPending =
  /** The user said no in the dialog, or no more codes are given (too many wrong ones). */
  | { state: 'refused'; message: string }
  /**
   * Type the code PodDesk printed in its terminal (call again with `code`). `codePending`: a code
   * waits for this question; false: call again without a code to have a new one printed.
   */
  | { state: 'code-required'; codePending: boolean; message: string; problem?: string };

/** The code PodDesk printed in its terminal (browser host), as the user typed it. */
export const consentCode = kind(
  'text',
  z
    .string()
    .trim()
    .regex(/^\d{3} ?\d{3}$/, 'The code has 6 digits'),
).optional();
