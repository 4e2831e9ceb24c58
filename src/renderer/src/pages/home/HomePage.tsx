import { Button, Grid, Stack } from '@mantine/core';
import { IconListCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { call } from '../../api/client';
import { useLatest } from '../../api/live';
import { PageHeader } from '../../components/PageHeader';
import { notifyError } from '../../components/notify';
import { AtAGlance } from './AtAGlance';
import { CleanUpDialog } from './CleanUpDialog';
import { FirstHourChecklist } from './FirstHourChecklist';

/** The app's first page: the week-one checklist, and the state of things at a glance. */
export function HomePage() {
  const { value: progress } = useLatest('home.progress');
  const [cleaning, setCleaning] = useState(false);
  const setHidden = (hidden: boolean) =>
    call('home.setChecklistHidden', { hidden }).catch((error: unknown) => notifyError('Could not save that', error));
  const hidden = progress?.hidden ?? false;

  return (
    <Stack>
      <PageHeader title="Home">
        {progress && hidden && (
          <Button
            variant="light"
            leftSection={<IconListCheck size={16} />}
            onClick={() => void setHidden(false)}
            data-testid="show-first-hour"
          >
            Show the first-hour checklist
          </Button>
        )}
      </PageHeader>
      <Grid gap="lg">
        {progress && !hidden && (
          <Grid.Col span={{ base: 12, md: 7 }}>
            <FirstHourChecklist progress={progress} onHide={() => void setHidden(true)} />
          </Grid.Col>
        )}
        <Grid.Col span={{ base: 12, md: progress && !hidden ? 5 : 8 }}>
          <AtAGlance onCleanUp={() => setCleaning(true)} />
        </Grid.Col>
      </Grid>
      {cleaning && <CleanUpDialog onClose={() => setCleaning(false)} />}
    </Stack>
  );
}
