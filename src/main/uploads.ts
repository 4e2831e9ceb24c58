import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AppError } from '../shared/errors';

/**
 * Files a page sends over HTTP (the browser host has no file paths): a transfer opens a ticket
 * for N files and takes each one's body as a stream, in order; the host hands over each
 * `PUT /upload/<ticket>/<index>` body and answers once that file has been written. Nothing is
 * buffered: the request is paused until the volume takes its bytes.
 */
export interface UploadInbox {
  open(count: number, signal: AbortSignal): UploadTicket;
  /** For the host: hands one request body over; resolves when the file is in, rejects with the reason it is not. */
  deliver(ticket: string, index: number, body: Readable): Promise<void>;
}

export interface UploadTicket {
  id: string;
  /** The body of file `index`, once the page sends it. */
  take(index: number): Promise<Readable>;
  /** File `index` is written (or failed): the host answers the page. */
  settle(index: number, error?: unknown): void;
  close(error?: unknown): void;
}

interface Slot {
  body?: Readable;
  waiting?: (body: Readable) => void;
  answer?: { resolve: () => void; reject: (error: unknown) => void };
  settled?: { error?: unknown };
}

export function createUploadInbox(): UploadInbox {
  const tickets = new Map<string, { count: number; slots: Map<number, Slot>; failed?: unknown }>();

  return {
    open(count, signal) {
      const id = randomBytes(18).toString('base64url');
      const slots = new Map<number, Slot>();
      const state: { count: number; slots: Map<number, Slot>; failed?: unknown } = { count, slots };
      tickets.set(id, state);
      const slot = (i: number) => {
        let s = slots.get(i);
        if (!s) slots.set(i, (s = {}));
        return s;
      };
      const ticket: UploadTicket = {
        id,
        take(index) {
          const s = slot(index);
          if (s.body) return Promise.resolve(s.body);
          return new Promise((resolve, reject) => {
            s.waiting = resolve;
            signal.addEventListener('abort', () => reject(new AppError('CANCELLED', 'Cancelled')), { once: true });
          });
        },
        settle(index, error) {
          const s = slot(index);
          s.settled = { error };
          if (error) s.answer?.reject(error);
          else s.answer?.resolve();
        },
        close(error) {
          tickets.delete(id);
          state.failed = error ?? new AppError('CANCELLED', 'The transfer ended');
          for (const s of slots.values()) {
            if (!s.settled) {
              s.body?.destroy();
              s.answer?.reject(state.failed);
            }
          }
        },
      };
      signal.addEventListener('abort', () => ticket.close(new AppError('CANCELLED', 'Cancelled')), { once: true });
      return ticket;
    },

    deliver(id, index, body) {
      const state = tickets.get(id);
      if (!state) return Promise.reject(new AppError('NOT_FOUND', 'No such upload (it ended or never began)'));
      if (!Number.isInteger(index) || index < 0 || index >= state.count) {
        return Promise.reject(new AppError('INVALID_INPUT', `This upload has no file ${index}`));
      }
      let s = state.slots.get(index);
      if (!s) state.slots.set(index, (s = {}));
      if (s.body) return Promise.reject(new AppError('CONFLICT', `File ${index} was already sent`));
      const slotRef = s;
      return new Promise<void>((resolve, reject) => {
        slotRef.answer = { resolve, reject };
        slotRef.body = body;
        if (slotRef.settled) {
          if (slotRef.settled.error) reject(slotRef.settled.error);
          else resolve();
        }
        slotRef.waiting?.(body);
      });
    },
  };
}
