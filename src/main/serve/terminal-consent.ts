import { randomInt, timingSafeEqual } from 'node:crypto';
import { plainLine, type Consent, type ConsentAnswer, type ConsentRequest } from '../consent';

/**
 * Consent for the browser host, which has no dialog of its own and whose page (or whoever holds
 * its token) is not trusted: main prints what is asked and a one-time code to the terminal where
 * `npm run serve` runs, and the user types the code in the page. The page never sees the code, so
 * only someone who reads that terminal can agree.
 *
 * A code is 6 digits, works once, for one subject (a stack and the fingerprint of its list), for
 * a few minutes and a few tries. Asking again prints a new one. After too many wrong codes in
 * all, no more codes are printed until PodDesk restarts: guessing would otherwise be a matter of
 * asking often enough.
 */
export interface TerminalConsentOptions {
  /** Writes to the terminal (the serve CLI: process.stdout). */
  print: (text: string) => void;
  now?: () => number;
  /** Six digits; crypto.randomInt by default. */
  newCode?: () => string;
  validMs?: number;
  triesPerCode?: number;
  /** Wrong codes in all (since the last right one) before no more codes are given. */
  maxWrong?: number;
}

interface Pending {
  code: string;
  expires: number;
  triesLeft: number;
}

const MAX_PENDING = 16;
const RULE = '─'.repeat(60);

export function terminalCodeConsent(options: TerminalConsentOptions): Consent {
  const now = options.now ?? Date.now;
  const newCode = options.newCode ?? (() => String(randomInt(0, 1_000_000)).padStart(6, '0'));
  const validMs = options.validMs ?? 5 * 60_000;
  const triesPerCode = options.triesPerCode ?? 3;
  const maxWrong = options.maxWrong ?? 10;
  const pending = new Map<string, Pending>();
  let wrong = 0;
  let locked = false;

  const minutes = Math.round(validMs / 60_000);
  const where = 'the terminal where you started PodDesk';
  const lockedAnswer: ConsentAnswer = {
    answer: 'refused',
    message:
      'Too many wrong codes were typed: PodDesk gives no more codes until it restarts. ' +
      `Stop it (Ctrl+C in ${where}) and start it again.`,
  };
  const ask = (codePending: boolean, problem?: string): ConsentAnswer => ({
    answer: 'code-required',
    codePending,
    message: codePending
      ? `PodDesk printed a code in ${where}. Type it here to allow.`
      : `Ask for a new code: PodDesk prints it in ${where}.`,
    ...(problem ? { problem } : {}),
  });

  const issue = (request: ConsentRequest): ConsentAnswer => {
    const code = newCode();
    pending.delete(request.subject);
    pending.set(request.subject, { code, expires: now() + validMs, triesLeft: triesPerCode });
    // Oldest first: a page asking about many lists keeps only the latest few codes alive.
    while (pending.size > MAX_PENDING) pending.delete(pending.keys().next().value!);
    options.print(
      [
        '',
        RULE,
        `PodDesk: ${plainLine(request.title)}`,
        plainLine(request.intro),
        ...request.lines.map((line) => `  • ${plainLine(line)}`),
        '',
        `To allow this, type this code in PodDesk: ${code}`,
        `It works once, for this list only, for ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        'If you did not ask for this, do not type it: something else is using PodDesk in your browser.',
        RULE,
        '',
      ].join('\n'),
    );
    return ask(true);
  };

  const check = (request: ConsentRequest, typed: string): ConsentAnswer => {
    const entry = pending.get(request.subject);
    if (!entry) return ask(false, 'That code does not work for this list (a code works once, for one list).');
    if (now() > entry.expires) {
      pending.delete(request.subject);
      return ask(false, 'That code has expired.');
    }
    if (sameCode(typed, entry.code)) {
      pending.delete(request.subject);
      wrong = 0;
      options.print(`PodDesk: allowed with the code. ${plainLine(request.title)}\n`);
      return { answer: 'allowed' };
    }
    entry.triesLeft--;
    wrong++;
    if (wrong >= maxWrong) {
      locked = true;
      pending.clear();
      options.print(
        `PodDesk: ${wrong} wrong codes were typed. No more codes until PodDesk restarts. ` +
          'If that was not you, something else is using PodDesk in your browser.\n',
      );
      return lockedAnswer;
    }
    options.print(`PodDesk: a wrong code was typed for: ${plainLine(request.title)}\n`);
    if (entry.triesLeft <= 0) {
      pending.delete(request.subject);
      return ask(false, 'That is not the code PodDesk printed, and that code no longer works.');
    }
    const left = entry.triesLeft;
    return ask(true, `That is not the code PodDesk printed: ${left} ${left === 1 ? 'try' : 'tries'} left.`);
  };

  return {
    how: 'terminal-code',
    async ask(request) {
      if (locked) return lockedAnswer;
      return request.code === undefined ? issue(request) : check(request, request.code);
    },
  };
}

/** Compared in constant time, spaces ignored ("123 456"). */
function sameCode(typed: string, code: string): boolean {
  const a = Buffer.from(typed.replace(/\s+/g, ''));
  const b = Buffer.from(code);
  return a.length === b.length && timingSafeEqual(a, b);
}
