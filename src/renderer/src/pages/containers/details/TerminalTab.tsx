import '@xterm/xterm/css/xterm.css';
import { Alert, Button, Group, Loader, Select, Text } from '@mantine/core';
import { IconPlayerPlay, IconPlugConnected } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import type { ContainerSummary } from '../../../../../shared/contract';
import { call, subscribe } from '../../../api/client';
import { notifyError } from '../../../components/notify';

type Phase =
  | { kind: 'connecting' }
  | { kind: 'open'; shell: string }
  | { kind: 'exited'; code: number | null }
  | { kind: 'failed'; message: string };

/** Keystrokes go in calls of at most this many characters (a large paste is split). */
const CHUNK = 16_000;

/**
 * A shell in the container through exec with a TTY, in xterm.js: output arrives on a stream,
 * keystrokes and window sizes go back as calls naming the session. Closing the tab closes the
 * stream, and main hangs the shell up.
 */
function Console({
  id,
  shell,
  attempt,
  onPhase,
}: {
  id: string;
  shell: string;
  attempt: number;
  onPhase: (phase: Phase) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const term = new Terminal({
      cursorBlink: true,
      fontFamily: 'ui-monospace, "Cascadia Code", "JetBrains Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      scrollback: 5_000,
      theme: { background: '#1a1b1e' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(element);
    fit.fit();
    let session: string | null = null;
    let queue = Promise.resolve();
    const send = (data: string) => {
      if (!session) return;
      const target = session;
      for (let i = 0; i < data.length; i += CHUNK) {
        const piece = data.slice(i, i + CHUNK);
        // In order, one after another: keystrokes must not overtake each other.
        queue = queue.then(() => call('exec.input', { session: target, data: piece }).catch(() => undefined));
      }
    };
    // Copy and paste with Ctrl+Shift+C / Ctrl+Shift+V (Ctrl+C stays the shell's interrupt).
    term.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) return true;
      if (event.code === 'KeyC' && term.hasSelection()) {
        void navigator.clipboard.writeText(term.getSelection());
        return false;
      }
      if (event.code === 'KeyV') {
        void navigator.clipboard.readText().then((text) => term.paste(text));
        return false;
      }
      return true;
    });
    const input = term.onData(send);
    const unsubscribe = subscribe(
      'exec.session',
      { id, shell, cols: term.cols, rows: term.rows },
      {
        onItems: (events) => {
          for (const event of events) {
            if (event.type === 'ready') {
              session = event.session;
              onPhase({ kind: 'open', shell: event.shell });
              term.focus();
            } else if (event.type === 'output') term.write(event.data);
            else {
              session = null;
              term.write(`\r\n\x1b[90m[${shell} exited${event.code === null ? '' : ` with code ${event.code}`}]\x1b[0m\r\n`);
              onPhase({ kind: 'exited', code: event.code });
            }
          }
        },
        onEnd: (error) => {
          session = null;
          if (error) onPhase({ kind: 'failed', message: error.message });
        },
      },
    );
    const resize = term.onResize(({ cols, rows }) => {
      if (session) void call('exec.resize', { session, cols, rows }).catch(() => undefined);
    });
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(element);
    return () => {
      observer.disconnect();
      resize.dispose();
      input.dispose();
      unsubscribe();
      term.dispose();
    };
  }, [id, shell, attempt, onPhase]);
  return (
    <div ref={host} className="pd-terminal" data-testid="terminal" style={{ height: 'calc(100dvh - 340px)', minHeight: 240 }} />
  );
}

export function TerminalTab({ container }: { container: ContainerSummary }) {
  const running = container.state === 'running';
  const shells = useQuery({
    queryKey: ['exec.shells', container.id, container.state],
    queryFn: () => call('exec.shells', { id: container.id }),
  });
  const [picked, setPicked] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [phase, setPhase] = useState<Phase>({ kind: 'connecting' });
  const [starting, setStarting] = useState(false);

  if (!running)
    return (
      <Alert color="gray" title={`${container.name} is not running`} data-testid="terminal-not-running">
        <Text size="sm" mb="sm">
          A terminal opens a shell inside a running container. Start it first.
        </Text>
        <Button
          size="xs"
          leftSection={<IconPlayerPlay size={14} />}
          loading={starting}
          onClick={() => {
            setStarting(true);
            call('containers.start', { id: container.id })
              .catch((error: unknown) => notifyError(`Could not start ${container.name}`, error))
              .finally(() => setStarting(false));
          }}
        >
          Start {container.name}
        </Button>
      </Alert>
    );
  if (shells.isPending) return <Loader size="sm" />;
  if (shells.error)
    return (
      <Alert color="red" title="Cannot open a terminal">
        {shells.error.message}
      </Alert>
    );
  const available = shells.data.shells;
  if (available.length === 0)
    return (
      <Alert color="orange" title="No shell in this container" data-testid="terminal-no-shell">
        {container.name} has no /bin/sh or /bin/bash (minimal and distroless images often have none). Use the Files tab to look
        inside it, or the Logs tab to see what it prints.
      </Alert>
    );
  const shell = picked && available.includes(picked) ? picked : available[0]!;
  return (
    <div>
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <Select
            size="xs"
            w={150}
            data={available}
            value={shell}
            allowDeselect={false}
            onChange={(v) => {
              if (v) {
                setPicked(v);
                setPhase({ kind: 'connecting' });
              }
            }}
            aria-label="Shell"
          />
          <Text size="xs" c="dimmed" data-testid="terminal-phase">
            {phase.kind === 'connecting'
              ? 'Connecting…'
              : phase.kind === 'open'
                ? `Connected: ${phase.shell}`
                : phase.kind === 'exited'
                  ? 'The shell has exited.'
                  : phase.message}
          </Text>
        </Group>
        <Group gap="xs">
          <Text size="xs" c="dimmed">
            Copy Ctrl+Shift+C · Paste Ctrl+Shift+V
          </Text>
          {(phase.kind === 'exited' || phase.kind === 'failed') && (
            <Button
              size="xs"
              variant="light"
              leftSection={<IconPlugConnected size={14} />}
              onClick={() => {
                setPhase({ kind: 'connecting' });
                setAttempt((a) => a + 1);
              }}
            >
              Open a new shell
            </Button>
          )}
        </Group>
      </Group>
      <Console key={`${shell}:${attempt}`} id={container.id} shell={shell} attempt={attempt} onPhase={setPhase} />
    </div>
  );
}
