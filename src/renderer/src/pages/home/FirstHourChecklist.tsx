import { Anchor, Badge, Button, Card, Group, Progress, Stack, Text, ThemeIcon, Title, VisuallyHidden } from '@mantine/core';
import { IconCheck, IconEyeOff } from '@tabler/icons-react';
import { firstHourSteps, type FirstHourProgress } from '../../../../shared/contract';
import { timeAgo } from '../../lib/format';
import { navigate } from '../../lib/router';
import { stepTexts } from './first-hour-steps';

/**
 * The week-one path as a checklist. Nothing here ticks a step: main does, from what really
 * happened, so the list can only say what the learner has done.
 */
export function FirstHourChecklist({ progress, onHide }: { progress: FirstHourProgress; onHide: () => void }) {
  const done = firstHourSteps.filter((s) => progress.reached[s] !== undefined).length;
  const next = firstHourSteps.find((s) => progress.reached[s] === undefined);
  return (
    <Card withBorder padding="lg" data-testid="first-hour" aria-labelledby="first-hour-title">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Title order={3} id="first-hour-title">
              Your first hour
            </Title>
            <Text size="sm" c="dimmed">
              Each step ticks itself when PodDesk sees you do it — in the app or in a terminal.
            </Text>
          </Stack>
          <Button
            variant="subtle"
            size="compact-sm"
            leftSection={<IconEyeOff size={14} />}
            onClick={onHide}
            data-testid="hide-first-hour"
          >
            Hide checklist
          </Button>
        </Group>
        <Stack gap={4}>
          <Text size="sm" fw={600} id="first-hour-count" data-testid="first-hour-count">
            {done === firstHourSteps.length ? 'All done: well done!' : `${done} of ${firstHourSteps.length} done`}
          </Text>
          <Progress value={(done / firstHourSteps.length) * 100} aria-labelledby="first-hour-count" color="teal" />
        </Stack>
        <Stack component="ol" gap="sm" m={0} p={0} style={{ listStyle: 'none' }}>
          {firstHourSteps.map((step, index) => {
            const text = stepTexts[step];
            const at = progress.reached[step];
            const isNext = step === next;
            return (
              <Card
                component="li"
                key={step}
                withBorder
                padding="sm"
                data-testid="first-hour-step"
                data-step={step}
                data-done={at !== undefined}
                style={isNext ? { borderColor: 'var(--mantine-color-blue-filled)' } : undefined}
              >
                <Group align="flex-start" wrap="nowrap" gap="sm">
                  {at !== undefined ? (
                    <ThemeIcon color="teal" radius="xl" size={28} aria-hidden>
                      <IconCheck size={18} />
                    </ThemeIcon>
                  ) : (
                    <ThemeIcon variant="outline" color="gray" radius="xl" size={28} aria-hidden>
                      <Text size="sm" fw={600}>
                        {index + 1}
                      </Text>
                    </ThemeIcon>
                  )}
                  <Stack gap={4} style={{ flex: 1 }}>
                    <Group gap="xs">
                      <Text fw={600}>
                        {text.title}
                        <VisuallyHidden>{at !== undefined ? ' (done)' : ' (not done yet)'}</VisuallyHidden>
                      </Text>
                      {isNext && (
                        <Badge size="sm" variant="light" color="blue">
                          Next
                        </Badge>
                      )}
                      {at !== undefined && (
                        <Text size="xs" c="dimmed">
                          Done {timeAgo(Math.floor(at / 1000))}
                        </Text>
                      )}
                    </Group>
                    <Text size="sm">{text.concept}</Text>
                    <Group gap="md">
                      <Anchor
                        href={`#${text.link.path}`}
                        size="sm"
                        onClick={(e) => {
                          e.preventDefault();
                          navigate(text.link.path);
                        }}
                        data-testid="first-hour-link"
                      >
                        {text.link.label}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {text.how}
                      </Text>
                    </Group>
                  </Stack>
                </Group>
              </Card>
            );
          })}
        </Stack>
      </Stack>
    </Card>
  );
}
