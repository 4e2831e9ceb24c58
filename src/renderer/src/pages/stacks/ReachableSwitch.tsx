import { Alert, Stack, Switch } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import type { StackDetail } from '../../../../shared/contract';
import { call } from '../../api/client';
import { notifyDone, notifyError } from '../../components/notify';

/**
 * The built-in stacks publish on 127.0.0.1: only this computer reaches them. This switch opens
 * them to the network (every interface), saying what that exposes; a relaunch applies it.
 */
export function ReachableSwitch({ detail, running }: { detail: StackDetail; running: boolean }) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const on = detail.reachableFromOtherComputers === true;
  const has = (what: string) => detail.services.some((s) => s.name === what || s.image.includes(what));
  const toggle = async (reachable: boolean) => {
    setBusy(true);
    try {
      await call('stacks.setReachable', { id: detail.id, reachable });
      await queryClient.invalidateQueries({ queryKey: ['stacks.get', detail.id] });
      await queryClient.invalidateQueries({ queryKey: ['stacks.plan', detail.id] });
      if (running) notifyDone('Saved. Relaunch to apply it.');
    } catch (error) {
      notifyError('Not changed', error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="xs">
      <Switch
        checked={on}
        // Not disabled while saving: a disabled switch would drop the keyboard focus.
        onChange={(e) => {
          if (!busy) void toggle(e.currentTarget.checked);
        }}
        aria-busy={busy}
        label="Reachable from other computers"
        description={
          on
            ? 'Published on every network interface (0.0.0.0).'
            : 'Off: published on 127.0.0.1, so only this computer can open it.'
        }
        data-testid="reachable-switch"
      />
      {on && (
        <Alert color="orange" icon={<IconAlertTriangle size={16} />} data-testid="reachable-warning">
          Anyone who can reach this computer over the network can use these ports.
          {has('ollama') && ' Ollama’s API has no password: whoever reaches it can run, download and delete models.'}
          {has('jupyter') && ' Jupyter Lab runs any code, guarded only by its token.'} Turn this on only on a network you trust.
        </Alert>
      )}
    </Stack>
  );
}
