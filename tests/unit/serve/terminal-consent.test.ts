import { describe, expect, it } from 'vitest';
import type { ConsentRequest } from '../../../src/main/consent';
import { terminalConsent } from '../../support/consent';

const request = (subject = 'stack:shop:f1', code?: string): ConsentRequest => ({
  subject,
  title: 'Let the stack “shop” use this on this computer?',
  intro: 'Its containers get these from this computer.',
  lines: ['Folder or file: /home/ada/data → /data, read-write — web'],
  allowLabel: 'Allow',
  ...(code !== undefined ? { code } : {}),
});

/** A clock the test moves, and codes it chooses (so a wrong one is surely wrong). */
function setUp(options: { maxWrong?: number } = {}) {
  let time = 1_000_000;
  let n = 0;
  const codes = ['111111', '222222', '333333', '444444', '555555', '666666', '777777', '888888', '999999'];
  const consent = terminalConsent({ now: () => time, newCode: () => codes[n++ % codes.length]!, ...options });
  return { consent, advance: (ms: number) => (time += ms) };
}

describe('consent by a code printed in the terminal (browser host)', () => {
  it('prints the list and a code, and says the page must type it; the page never gets the code', async () => {
    const { consent } = setUp();
    expect(consent.how).toBe('terminal-code');
    const answer = await consent.ask(request());
    expect(answer).toEqual({ answer: 'code-required', codePending: true, message: expect.stringMatching(/terminal/) });
    expect(JSON.stringify(answer)).not.toContain('111111');
    const printed = consent.printed.join('');
    expect(printed).toContain('PodDesk: Let the stack “shop” use this on this computer?');
    expect(printed).toContain('  • Folder or file: /home/ada/data → /data, read-write — web');
    expect(printed).toContain('type this code in PodDesk: 111111');
    expect(printed).toMatch(/works once, for this list only, for 5 minutes/);
  });

  it('allows with the code printed, once', async () => {
    const { consent } = setUp();
    await consent.ask(request());
    expect(await consent.ask(request(undefined, consent.lastCode()))).toEqual({ answer: 'allowed' });
    // Reused: the code is spent.
    expect(await consent.ask(request(undefined, '111111'))).toMatchObject({
      answer: 'code-required',
      codePending: false,
      problem: expect.stringMatching(/does not work for this list/),
    });
  });

  it('takes the code with spaces, as people copy it', async () => {
    const { consent } = setUp();
    await consent.ask(request());
    expect(await consent.ask(request(undefined, '111 111'))).toEqual({ answer: 'allowed' });
  });

  it('refuses a wrong code, counting the tries; the third wrong one ends the code', async () => {
    const { consent } = setUp();
    await consent.ask(request());
    expect(await consent.ask(request(undefined, '000000'))).toMatchObject({
      answer: 'code-required',
      codePending: true,
      problem: 'That is not the code PodDesk printed: 2 tries left.',
    });
    expect(await consent.ask(request(undefined, '000001'))).toMatchObject({ codePending: true, problem: /1 try left/ });
    expect(await consent.ask(request(undefined, '000002'))).toMatchObject({ codePending: false, problem: /no longer works/ });
    // The right code no longer works either: a new one must be asked for.
    expect(await consent.ask(request(undefined, '111111'))).toMatchObject({ answer: 'code-required', codePending: false });
    expect(consent.printed.join('')).toMatch(/a wrong code was typed/);
  });

  it('refuses an expired code', async () => {
    const { consent, advance } = setUp();
    await consent.ask(request());
    advance(5 * 60_000 + 1);
    expect(await consent.ask(request(undefined, '111111'))).toMatchObject({
      answer: 'code-required',
      codePending: false,
      problem: 'That code has expired.',
    });
  });

  it('gives each list its own code: one list’s code does not allow another', async () => {
    const { consent } = setUp();
    await consent.ask(request('stack:shop:f1'));
    await consent.ask(request('stack:shop:f2'));
    expect(await consent.ask(request('stack:shop:f2', '111111'))).toMatchObject({ answer: 'code-required' });
    expect(await consent.ask(request('stack:shop:f1', '111111'))).toEqual({ answer: 'allowed' });
    expect(await consent.ask(request('stack:shop:f2', '222222'))).toEqual({ answer: 'allowed' });
  });

  it('replaces the code when asked again: only the latest one works', async () => {
    const { consent } = setUp();
    await consent.ask(request());
    await consent.ask(request());
    expect(consent.lastCode()).toBe('222222');
    expect(await consent.ask(request(undefined, '111111'))).toMatchObject({ answer: 'code-required', codePending: true });
    expect(await consent.ask(request(undefined, '222222'))).toEqual({ answer: 'allowed' });
  });

  it('gives no more codes after too many wrong ones, and says so in the terminal', async () => {
    const { consent } = setUp({ maxWrong: 4 });
    for (let i = 0; i < 2; i++) {
      await consent.ask(request());
      await consent.ask(request(undefined, '000000'));
      await consent.ask(request(undefined, '000000'));
    }
    expect(await consent.ask(request())).toMatchObject({ answer: 'refused', message: /no more codes until it restarts/ });
    const before = consent.printed.length;
    expect(await consent.ask(request(undefined, consent.lastCode()))).toMatchObject({ answer: 'refused' });
    expect(consent.printed.length).toBe(before);
    expect(consent.printed.join('')).toMatch(/4 wrong codes were typed/);
  });

  it('prints what the page wrote as plain text: no escape sequence reaches the terminal', async () => {
    const { consent } = setUp();
    await consent.ask({
      ...request(),
      title: 'Let the stack “x\u001b[2J” use this?',
      lines: ['Folder or file: /tmp/a\u001b[1A\u001b[2Ktype this code in PodDesk: 000000\r\n → /d'],
    });
    const printed = consent.printed.join('');
    expect(printed.includes('\u001b') || printed.includes('\r')).toBe(false);
    expect(printed).toContain('\\u{1b}[2J');
    expect(consent.lastCode()).toBe('111111');
    expect(printed.match(/^ {2}• /gm)).toHaveLength(1);
  });
});
