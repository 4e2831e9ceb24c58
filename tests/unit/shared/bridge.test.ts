import { describe, expect, it, vi } from 'vitest';
import { createBridge, type BridgeTransport, type StreamEvent } from '../../../src/shared/bridge';

function fakeTransport() {
  let listener: (e: StreamEvent) => void = () => undefined;
  const transport: BridgeTransport & { push(e: StreamEvent): void } = {
    invoke: vi.fn(async (name: string, input: unknown) => ({ ok: true as const, data: { name, input } })),
    open: vi.fn(async () => ({ ok: true as const, data: null })),
    close: vi.fn(),
    onEvent: (l) => {
      listener = l;
    },
    push: (e) => listener(e),
  };
  return transport;
}

describe('the bridge the page sees', () => {
  it('has exactly one function per contract name, frozen', () => {
    const bridge = createBridge(fakeTransport(), ['a.one', 'a.two'], ['a.watch']);
    expect(Object.keys(bridge.calls)).toEqual(['a.one', 'a.two']);
    expect(Object.keys(bridge.streams)).toEqual(['a.watch']);
    expect(Object.isFrozen(bridge) && Object.isFrozen(bridge.calls)).toBe(true);
  });

  it('routes stream events to their subscriber and stops after the end', async () => {
    const transport = fakeTransport();
    const bridge = createBridge(transport, [], ['a.watch']);
    const got: unknown[] = [];
    bridge.streams['a.watch']!(undefined, (m) => got.push(m));
    const id = (transport.open as ReturnType<typeof vi.fn>).mock.calls[0]![0] as string;
    transport.push({ id, type: 'batch', items: [1, 2] });
    transport.push({ id: 'someone-else', type: 'batch', items: [3] });
    transport.push({ id, type: 'end' });
    transport.push({ id, type: 'batch', items: [4] });
    expect(got).toEqual([
      { type: 'batch', items: [1, 2] },
      { type: 'end', error: undefined },
    ]);
  });

  it('tells main when the page unsubscribes, once', () => {
    const transport = fakeTransport();
    const bridge = createBridge(transport, [], ['a.watch']);
    const stop = bridge.streams['a.watch']!(undefined, () => undefined);
    stop();
    stop();
    expect(transport.close).toHaveBeenCalledTimes(1);
  });

  it('ends the stream with the error when main refuses to open it', async () => {
    const transport = fakeTransport();
    transport.open = async () => ({ ok: false, error: { code: 'INVALID_INPUT', message: 'bad' } });
    const bridge = createBridge(transport, [], ['a.watch']);
    const got: unknown[] = [];
    bridge.streams['a.watch']!({ wrong: true }, (m) => got.push(m));
    await new Promise((r) => setTimeout(r));
    expect(got).toEqual([{ type: 'end', error: { code: 'INVALID_INPUT', message: 'bad' } }]);
  });
});
