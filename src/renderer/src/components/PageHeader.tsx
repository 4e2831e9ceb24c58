import { ActionIcon, Group, Text, Title, Tooltip } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { navigate } from '../lib/router';

/** A page's title, a short summary beside it ("3 running of 4"), and its actions on the right. */
export function PageHeader({ title, summary, children }: { title: string; summary?: ReactNode; children?: ReactNode }) {
  return (
    <Group justify="space-between">
      <Group gap="xs" align="baseline">
        <Title order={2}>{title}</Title>
        {summary && (
          <Text c="dimmed" size="sm">
            {summary}
          </Text>
        )}
      </Group>
      {children && <Group gap="xs">{children}</Group>}
    </Group>
  );
}

/** The arrow back to a list page. */
export function BackButton({ to, label }: { to: string; label: string }) {
  return (
    <Tooltip label={label}>
      <ActionIcon variant="subtle" onClick={() => navigate(to)} aria-label={`Back: ${label.toLowerCase()}`}>
        <IconArrowLeft size={18} />
      </ActionIcon>
    </Tooltip>
  );
}
