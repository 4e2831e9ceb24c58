import { describe, expect, it, vi } from 'vitest';
import type { ConsentRequest } from '../../../src/main/consent';
import { createFakeElectron, type FakeElectron } from '../../support/fake-electron';

const state = vi.hoisted(() => ({ fake: null as unknown as FakeElectron }));
vi.mock('electron', () => {
  const current = () => state.fake.electron as unknown as Record<string | symbol, unknown>;
  return new Proxy({}, { get: (_, key) => (key === 'default' ? current() : current()[key]), has: (_, key) => key in current() });
});

async function setUp() {
  state.fake = createFakeElectron();
  vi.resetModules();
  const { dialogConsent, DIALOG_LINES } = await import('../../../src/main/electron/consent');
  const window = new state.fake.electron.BrowserWindow({});
  return { consent: dialogConsent(() => window as never), window, fake: state.fake, DIALOG_LINES };
}

const request = (lines: string[]): ConsentRequest => ({
  subject: 'stack:shop:abc',
  title: 'Let the stack “shop” use this on this computer?',
  intro: 'Its containers get these from this computer.',
  lines,
  allowLabel: 'Allow',
  // A code the page sent means nothing to a dialog.
  code: '123456',
});

/** Lets the consent reach its `await dialog.showMessageBox`. */
const shown = async (fake: FakeElectron, count = 1) => {
  await vi.waitFor(() => expect(fake.messageBoxes.length).toBe(count));
  return fake.messageBoxes.at(-1)!;
};

describe('consent in the desktop app: a native message box', () => {
  it('asks in a box attached to PodDesk’s window, Cancel first, by default and on Escape', async () => {
    const { consent, window, fake } = await setUp();
    expect(consent.how).toBe('dialog');
    const answer = consent.ask(request(['Folder or file: /home/ada/data → /data, read-write — web']));
    const box = await shown(fake);
    expect(box.parent).toBe(window);
    expect(box.options).toMatchObject({
      type: 'warning',
      message: 'Let the stack “shop” use this on this computer?',
      buttons: ['Cancel', 'Allow'],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    });
    expect(box.options.detail).toBe(
      'Its containers get these from this computer.\n\n• Folder or file: /home/ada/data → /data, read-write — web',
    );
    box.answer(0);
    expect(await answer).toEqual({ answer: 'refused', message: expect.stringMatching(/Cancel/) });
  });

  it('allows only on the Allow button', async () => {
    const { consent, fake } = await setUp();
    const answer = consent.ask(request(['Device: /dev/dri → /dev/dri — gpu']));
    (await shown(fake)).answer(1);
    expect(await answer).toEqual({ answer: 'allowed' });
  });

  it('shows at most 15 lines, then how many more', async () => {
    const { consent, fake, DIALOG_LINES } = await setUp();
    expect(DIALOG_LINES).toBe(15);
    const lines = Array.from({ length: 40 }, (_, i) => `Folder or file: /srv/d${i} → /d${i}, read-write — app`);
    const answer = consent.ask(request(lines));
    const box = await shown(fake);
    const detail = box.options.detail!.split('\n');
    expect(detail.filter((l) => l.startsWith('• '))).toHaveLength(15);
    expect(detail).toContain('• Folder or file: /srv/d14 → /d14, read-write — app');
    expect(detail).not.toContain('• Folder or file: /srv/d15 → /d15, read-write — app');
    expect(detail.at(-1)).toMatch(/^… and 25 more/);
    box.answer(0);
    await answer;
  });

  it('shows what the page wrote as plain text: no forged lines, no reordering, no endless path', async () => {
    const { consent, fake } = await setUp();
    const answer = consent.ask(
      request([`Folder or file: /tmp/x\n\n• Nothing else, it is safe\u202e → /d`, `/a${'b'.repeat(500)}`]),
    );
    const box = await shown(fake);
    const detail = box.options.detail!.split('\n');
    expect(detail).toHaveLength(4);
    expect(detail[2]).toBe('• Folder or file: /tmp/x\\u{a}\\u{a}• Nothing else, it is safe\\u{202e} → /d');
    expect([...detail[3]!].length).toBeLessThanOrEqual(162);
    expect(detail[3]).toMatch(/^• \/abbb.*…b+$/);
    box.answer(0);
    await answer;
  });

  it('asks one question at a time: a second ask while the box is open is refused', async () => {
    const { consent, fake } = await setUp();
    const first = consent.ask(request(['Device: /dev/kvm']));
    const box = await shown(fake);
    await expect(consent.ask(request(['Device: /dev/kvm']))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(fake.messageBoxes).toHaveLength(1);
    box.answer(1);
    expect(await first).toEqual({ answer: 'allowed' });
    // Once answered, the next question gets its own box.
    const again = consent.ask(request(['Device: /dev/kvm']));
    (await shown(fake, 2)).answer(0);
    expect((await again).answer).toBe('refused');
  });
});
