import { Alert, Button, Code, Group, Loader, Paper, Progress, ScrollArea, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCheck, IconPlayerSkipForward, IconX } from '@tabler/icons-react';
import { formatBytes } from '../../lib/format';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { focusWhenLost } from '../../lib/focus-lost';
import type { HostAccess, PullFailure } from '../../../../shared/contract';
import { LoadImagesDialog } from '../images/ArchiveDialogs';
import { HostAccessSection } from './HostAccessSection';
import { cancelLaunch, clearLaunch, startLaunch, type LaunchState, type LaunchStep } from './launches';
import { OpenLink } from './OpenLink';
import { planLine } from './plan-line';

function StepIcon({ step }: { step: LaunchStep }) {
  if (step.status === 'running') return <Loader size={16} />;
  const [color, icon] =
    step.status === 'done'
      ? ['teal', <IconCheck key="i" size={12} />]
      : step.status === 'failed'
        ? ['red', <IconX key="i" size={12} />]
        : ['gray', <IconPlayerSkipForward key="i" size={12} />];
  return (
    <ThemeIcon size={16} radius="xl" color={color} variant="light">
      {icon}
    </ThemeIcon>
  );
}

/** The list a refused launch asks to confirm: the plan's, else the one the error carries. */
function confirmList(state: LaunchState): HostAccess | undefined {
  const details = state.error?.details as { hostAccess?: HostAccess } | undefined;
  return state.plan?.hostAccess ?? details?.hostAccess;
}

/** Networks, volumes or containers made by this launch (a refused or failed pull makes none). */
const createdSomething = (state: LaunchState) =>
  state.steps.some((s) => s.status === 'done' && (s.kind === 'network' || s.kind === 'volume' || s.kind === 'container'));

function PullBar({ state, image }: { state: LaunchState; image: string }) {
  const p = state.pulls[image];
  if (!p) return null;
  const percent = p.fraction === null ? 0 : Math.round(p.fraction * 100);
  return (
    <Stack gap={2} pl={28}>
      <Progress value={percent} size="sm" animated={!p.done} />
      <Text size="xs" c="dimmed">
        {p.bytesTotal > 0 ? `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}` : p.status}
        {p.bytesPerSecond > 0 && !p.done ? ` · ${formatBytes(p.bytesPerSecond)}/s` : ''} · {p.layersDone}/{p.layers} layers
      </Text>
    </Stack>
  );
}

/**
 * An image that could not be pulled (offline, a registry that does not have it): what to do,
 * right there — try again, load it from a file, or point the stack at another image.
 */
function PullFailed({
  id,
  failure,
  onUseVariable,
}: {
  id: string;
  failure: PullFailure;
  onUseVariable?: (name: string) => void;
}) {
  const [loading, setLoading] = useState(false);
  const [where, setWhere] = useState(false);
  return (
    <Stack gap="xs" mt="sm" data-testid="pull-failed">
      <Text size="sm">
        <Code>{failure.image}</Code> (for {failure.services.join(', ')}) could not be pulled. You can:
      </Text>
      <Group gap="xs">
        <Button size="xs" onClick={() => startLaunch(id)} data-testid="pull-retry">
          Retry
        </Button>
        <Button size="xs" variant="default" onClick={() => setLoading(true)} data-testid="pull-load-file">
          Load the image from a file…
        </Button>
        <Button
          size="xs"
          variant="default"
          onClick={() => (failure.variable && onUseVariable ? onUseVariable(failure.variable) : setWhere(true))}
          data-testid="pull-other-image"
        >
          Use another image
        </Button>
      </Group>
      {where && (
        <Text size="sm" data-testid="pull-image-line">
          {failure.line
            ? `The image is named on line ${failure.line} of the Compose file (tab Compose file): change it there, then launch again.`
            : 'Change the image of this service in the Compose file (tab Compose file), then launch again.'}
        </Text>
      )}
      <LoadImagesDialog
        opened={loading}
        onClose={() => setLoading(false)}
        intro={`A .tar or .tar.gz that holds ${failure.image}, made with podman save or docker save on a computer that has it. The launch starts again once it is loaded.`}
        onLoaded={() => startLaunch(id)}
      />
    </Stack>
  );
}

/** The launch as it happens: each step with its state, pull bars, build logs, then the links. */
export function LaunchPanel({
  id,
  state,
  onUseVariable,
  launchButton,
}: {
  id: string;
  state: LaunchState;
  /** Opens the Variables tab at this variable ("Use another image"). */
  onUseVariable?: (name: string) => void;
  /** Where focus goes when the panel is closed: the button that launched. */
  launchButton?: RefObject<HTMLElement | null>;
}) {
  const pullFailed = (state.error?.details as { pullFailed?: PullFailure } | undefined)?.pullFailed;
  // A busy Launch button cannot hold focus (nor can a failure's buttons, gone once it starts
  // again): a keyboard user's focus comes to the progress rather than to the page body.
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.running) return focusWhenLost(() => root.current);
  }, [state.running, state.startedAt]);
  // Shown only once finished, so the duration is fixed.
  const seconds = ((state.finishedAt ?? state.startedAt) - state.startedAt) / 1000;
  return (
    <Paper
      ref={root}
      tabIndex={-1}
      role="region"
      aria-label="Launch progress"
      withBorder
      p="md"
      data-testid="launch-panel"
      data-running={state.running}
      data-outcome={
        state.error?.code === 'NEEDS_CONFIRMATION'
          ? 'needs-confirmation'
          : state.error
            ? 'failed'
            : state.done
              ? 'done'
              : 'running'
      }
    >
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>
            {state.running
              ? 'Launching…'
              : state.error?.code === 'NEEDS_CONFIRMATION'
                ? 'Confirm what this stack uses on this computer'
                : state.error
                  ? 'Launch stopped'
                  : 'Launched'}
          </Title>
          {state.running ? (
            <Button size="xs" variant="default" color="red" onClick={() => cancelLaunch(id)} data-testid="cancel-launch">
              Cancel
            </Button>
          ) : (
            <Button
              size="xs"
              variant="subtle"
              onClick={() => {
                clearLaunch(id);
                if (launchButton) focusWhenLost(() => launchButton.current);
              }}
            >
              Close
            </Button>
          )}
        </Group>
        {state.plan && state.plan.problems.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="launch-plan">
            This launch: {planLine(state.plan)}
          </Text>
        )}
        {state.plan && state.steps.length === 0 && state.running && (
          <Text size="sm" c="dimmed">
            Checking what exists…
          </Text>
        )}
        <Stack gap={6} data-testid="launch-steps">
          {state.steps.map((step) => (
            <Stack key={step.id} gap={4} data-testid="launch-step" data-step={step.id} data-status={step.status}>
              <Group gap="xs" wrap="nowrap">
                <StepIcon step={step} />
                <Text size="sm">{step.label}</Text>
                {step.detail && step.status !== 'failed' && (
                  <Text size="xs" c="dimmed">
                    {step.detail}
                  </Text>
                )}
              </Group>
              {step.kind === 'image' && step.status === 'running' && (
                <PullBar state={state} image={step.id.slice('image:'.length)} />
              )}
              {step.kind === 'image' &&
                state.buildLog[step.id.slice('image:'.length)] &&
                (step.status === 'running' || step.status === 'failed') && (
                  <ScrollArea.Autosize mah={180} ml={28} type="auto">
                    <Code block fz="xs" data-testid="build-log">
                      {state.buildLog[step.id.slice('image:'.length)]!.slice(-60).join('\n')}
                    </Code>
                  </ScrollArea.Autosize>
                )}
            </Stack>
          ))}
        </Stack>
        {state.error?.code === 'NEEDS_CONFIRMATION' && confirmList(state) && (
          <Stack gap="xs" data-testid="launch-needs-confirmation">
            <Text size="sm">{state.error.message}</Text>
            <HostAccessSection id={id} access={confirmList(state)!} launchAfter onConfirmed={() => startLaunch(id)} />
          </Stack>
        )}
        {state.error && state.error.code !== 'NEEDS_CONFIRMATION' && (
          <Alert
            color={state.error.code === 'CANCELLED' ? 'yellow' : 'red'}
            title={state.error.code === 'CANCELLED' ? 'Cancelled' : 'The launch failed'}
            data-testid="launch-error"
          >
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {state.error.message}
            </Text>
            {pullFailed && !state.running && (
              <PullFailed id={id} failure={pullFailed} {...(onUseVariable ? { onUseVariable } : {})} />
            )}
            {state.error.code !== 'CANCELLED' && !pullFailed && (
              <Text size="xs" c="dimmed" mt={6}>
                {createdSomething(state)
                  ? 'What was created is kept. Fix the cause and press Relaunch: the launch picks up where it stopped.'
                  : 'Fix the cause and launch again.'}
              </Text>
            )}
          </Alert>
        )}
        {state.done && (
          <Stack gap="xs" data-testid="launch-done">
            <Text size="sm" c="teal">
              {state.done.nothingToDo
                ? 'Everything was already running as the file says: nothing to do.'
                : `Ready in ${seconds.toFixed(1)} s.`}
            </Text>
            <Group gap="xs">
              {state.done.links.map((l) => (
                <OpenLink key={l.url} link={l} label={l.label} size="xs" testId="launch-link" />
              ))}
            </Group>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
