import { Button, type MantineSize } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import type { StackLink } from '../../../../shared/contract';

/** A service's address, opened in the system browser (Electron) or a new tab (browser host). */
export function OpenLink({
  link,
  label = 'Open',
  size = 'compact-sm',
  testId = 'open-service',
}: {
  link: StackLink;
  label?: string;
  size?: MantineSize | `compact-${MantineSize}`;
  testId?: string;
}) {
  return (
    <Button
      component="a"
      href={link.url}
      target="_blank"
      rel="noreferrer"
      size={size}
      variant="light"
      rightSection={<IconExternalLink size={14} />}
      title={link.url}
      data-testid={testId}
    >
      {label}
    </Button>
  );
}
