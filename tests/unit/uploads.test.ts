import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createUploadInbox } from '../../src/main/uploads';

const body = (text: string) => Readable.from([Buffer.from(text)]);
const read = async (r: Readable) => {
  let s = '';
  for await (const c of r) s += (c as Buffer).toString();
  return s;
};

describe('the upload inbox', () => {
  it('hands each body to the transfer and answers the page once the file is in', async () => {
    const inbox = createUploadInbox();
    const ticket = inbox.open(2, new AbortController().signal);
    // The page may send before the transfer asks.
    const first = inbox.deliver(ticket.id, 0, body('one'));
    expect(await read(await ticket.take(0))).toBe('one');
    let answered = false;
    void first.then(() => (answered = true));
    await Promise.resolve();
    expect(answered).toBe(false);
    ticket.settle(0);
    await first;
    const taking = ticket.take(1);
    const second = inbox.deliver(ticket.id, 1, body('two'));
    expect(await read(await taking)).toBe('two');
    ticket.settle(1, new Error('disk full'));
    await expect(second).rejects.toThrow('disk full');
  });

  it('refuses unknown tickets, indexes out of range, and files sent twice', async () => {
    const inbox = createUploadInbox();
    await expect(inbox.deliver('nope', 0, body('x'))).rejects.toThrow(/No such upload/);
    const ticket = inbox.open(1, new AbortController().signal);
    await expect(inbox.deliver(ticket.id, 1, body('x'))).rejects.toThrow(/no file 1/);
    void inbox.deliver(ticket.id, 0, body('x'));
    await expect(inbox.deliver(ticket.id, 0, body('x'))).rejects.toThrow(/already sent/);
  });

  it('ends waiting deliveries when the transfer is cancelled', async () => {
    const inbox = createUploadInbox();
    const controller = new AbortController();
    const ticket = inbox.open(2, controller.signal);
    const delivery = inbox.deliver(ticket.id, 1, body('late'));
    controller.abort();
    await expect(delivery).rejects.toThrow(/Cancelled/);
    await expect(inbox.deliver(ticket.id, 0, body('x'))).rejects.toThrow(/No such upload/);
  });
});
