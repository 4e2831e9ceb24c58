import { Badge, Button, Card, Group, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Settings } from '../../../../shared/contract';
import { call } from '../../api/client';
import { notifyError } from '../../components/notify';

/** How volumes are opened: directly where possible, or always through the helper (and its image). */
export function VolumeSettings({ settings, update }: { settings: Settings; update: (patch: Partial<Settings>) => void }) {
  const [image, setImage] = useState(settings.volumeHelperImage);
  const queryClient = useQueryClient();
  const status = useQuery({
    queryKey: ['volumes.helperImage', settings.volumeHelperImage],
    queryFn: () => call('volumes.helperImage'),
    retry: false,
  });
  const [pulling, setPulling] = useState(false);
  return (
    <Card withBorder>
      <Stack>
        <Title order={4}>Volume browser</Title>
        <Group>
          <Text size="sm">Open volumes</Text>
          <SegmentedControl
            value={settings.volumeAccess}
            onChange={(v) => update({ volumeAccess: v as Settings['volumeAccess'] })}
            data={[
              { value: 'auto', label: 'Directly when possible' },
              { value: 'helper', label: 'Always through the helper' },
            ]}
          />
        </Group>
        <Group align="flex-end">
          <TextInput
            label="Helper image"
            description="A small image with a POSIX shell, find, stat, realpath and tar (busybox works). Pulled once, with your consent, and kept."
            value={image}
            onChange={(e) => setImage(e.currentTarget.value)}
            w={460}
          />
          <Button
            variant="default"
            disabled={!image.trim() || image === settings.volumeHelperImage}
            onClick={() => update({ volumeHelperImage: image.trim() })}
          >
            Save
          </Button>
          {status.data && (
            <Badge color={status.data.present ? 'teal' : 'gray'} variant="light">
              {status.data.present ? 'on this machine' : 'not pulled yet'}
            </Badge>
          )}
          {status.data && !status.data.present && (
            <Button
              variant="light"
              loading={pulling}
              onClick={async () => {
                setPulling(true);
                try {
                  await call('volumes.pullHelperImage');
                  await queryClient.invalidateQueries({ queryKey: ['volumes.helperImage'] });
                } catch (e) {
                  notifyError('Could not pull the helper image', e);
                } finally {
                  setPulling(false);
                }
              }}
            >
              Pull now
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
