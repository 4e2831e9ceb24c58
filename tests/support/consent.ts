import type { Consent, ConsentAnswer, ConsentRequest } from '../../src/main/consent';
import { terminalCodeConsent, type TerminalConsentOptions } from '../../src/main/serve/terminal-consent';

/**
 * The user, for the tests. `fakeConsent` answers what the test queued (a dialog's Allow or
 * Cancel) and keeps every question; `terminalConsent` is the browser host's real code consent
 * with the terminal replaced by a list of what it printed, so a test can read the code as the
 * user would and type it.
 */
export interface FakeConsent extends Consent {
  asked: ConsentRequest[];
  /** Answers to give, in order; when empty, the fake refuses (the user chose Cancel). */
  next: ConsentAnswer[];
}

export function fakeConsent(...next: ConsentAnswer[]): FakeConsent {
  const fake: FakeConsent = {
    how: 'dialog',
    asked: [],
    next,
    async ask(request) {
      fake.asked.push(request);
      return fake.next.shift() ?? { answer: 'refused', message: 'You chose Cancel: nothing was allowed.' };
    },
  };
  return fake;
}

export const ALLOW: ConsentAnswer = { answer: 'allowed' };

export interface TerminalConsent extends Consent {
  printed: string[];
  /** The code the terminal showed last (throws when none was printed). */
  lastCode(): string;
}

export function terminalConsent(options: Omit<TerminalConsentOptions, 'print'> = {}): TerminalConsent {
  const printed: string[] = [];
  const consent = terminalCodeConsent({ ...options, print: (text) => void printed.push(text) });
  return {
    ...consent,
    printed,
    lastCode() {
      const codes = printed.join('').match(/type this code in PodDesk: (\d{6})/g);
      if (!codes) throw new Error(`no code was printed: ${printed.join('')}`);
      return codes.at(-1)!.slice(-6);
    },
  };
}
