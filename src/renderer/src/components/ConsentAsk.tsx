import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ConsentPending } from '../../../shared/contract';
import { hasNativeFiles } from '../api/transfers';
import { notifyError } from './notify';

const CODE = /^\d{3} ?\d{3}$/;

export interface ConsentAskProps {
  /** Asks main, which asks the user; null once the user said yes (and main did it). */
  ask: (code?: string) => Promise<ConsentPending | null>;
  /** The yes button's words: "Confirm and launch", "They match: trust this key and connect". */
  label: string;
  icon?: ReactNode;
  /** Prefix of the test ids (`<prefix>-code`, `<prefix>-new-code`, …). */
  testId: string;
  confirmTestId: string;
  /** Said after how the user is asked: "Asked again whenever this list changes." */
  note?: string;
  errorTitle: string;
  onError?: () => void;
}

/**
 * The page's half of a consent: a button that asks main to ask the user — a dialog of PodDesk's
 * own in the desktop app, or, in a browser, a code printed in the terminal that started PodDesk,
 * typed here. The page never says yes itself; main's answers decide the steps.
 */
export function ConsentAsk({ ask, label, icon, testId, confirmTestId, note, errorTitle, onError }: ConsentAskProps) {
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<ConsentPending | null>(null);
  const [code, setCode] = useState('');
  const codeInput = useRef<HTMLInputElement>(null);
  const newCodeButton = useRef<HTMLButtonElement>(null);
  const dialog = hasNativeFiles();

  useEffect(() => {
    if (step?.state !== 'code-required') return;
    if (step.codePending) codeInput.current?.focus();
    else newCodeButton.current?.focus();
  }, [step]);

  const run = async (typed?: string) => {
    setBusy(true);
    try {
      const answer = await ask(typed?.trim());
      if (!answer) {
        setStep(null);
        setCode('');
      } else {
        if (answer.state === 'code-required' && (typed === undefined || !answer.codePending)) setCode('');
        setStep(answer);
      }
    } catch (error) {
      notifyError(errorTitle, error);
      onError?.();
    } finally {
      setBusy(false);
    }
  };

  if (step?.state === 'code-required' && step.codePending) {
    return (
      <form
        data-testid={`${testId}-code-form`}
        onSubmit={(event) => {
          event.preventDefault();
          if (CODE.test(code.trim())) void run(code);
        }}
      >
        <Group align="flex-start">
          <TextInput
            ref={codeInput}
            label="Code from the terminal"
            description={step.message}
            error={step.problem}
            // A wrong code is said aloud, not only drawn in red.
            errorProps={{ role: 'alert' }}
            value={code}
            onChange={(event) => setCode(event.currentTarget.value)}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            w={280}
            data-testid={`${testId}-code`}
          />
          <Group mt={28} gap="xs">
            <Button type="submit" loading={busy} disabled={!CODE.test(code.trim())} data-testid={`${testId}-code-submit`}>
              {label}
            </Button>
            <Button variant="subtle" onClick={() => void run()} disabled={busy} data-testid={`${testId}-new-code`}>
              Print a new code
            </Button>
          </Group>
        </Group>
      </form>
    );
  }
  if (step?.state === 'code-required') {
    return (
      <Stack gap={4}>
        <Text size="sm" c="red.8" role="alert" data-testid={`${testId}-problem`}>
          {step.problem ? `${step.problem} ` : ''}
          {step.message}
        </Text>
        <Group>
          <Button ref={newCodeButton} onClick={() => void run()} loading={busy} data-testid={`${testId}-new-code`}>
            Print a new code
          </Button>
        </Group>
      </Stack>
    );
  }
  return (
    <Stack gap={4}>
      {step?.state === 'refused' && (
        <Text size="sm" role="status" data-testid={`${testId}-refused`}>
          {step.message}
        </Text>
      )}
      <Group>
        <Button leftSection={icon} onClick={() => void run()} loading={busy} data-testid={confirmTestId}>
          {dialog ? `${label}…` : `${label} with a code`}
        </Button>
        <Text size="xs" c="dimmed" data-testid={`${testId}-how`}>
          {dialog
            ? 'PodDesk asks you in a dialog of its own; only your answer there counts.'
            : 'PodDesk prints a code in the terminal where you started it; you type it here.'}
          {note ? ` ${note}` : ''}
        </Text>
      </Group>
    </Stack>
  );
}
