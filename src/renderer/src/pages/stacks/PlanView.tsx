import { Alert, Badge, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { StackPlan, StackSummary } from '../../../../shared/contract';
import { call } from '../../api/client';
import { HostAccessSection } from './HostAccessSection';
import { portText } from './plan-line';

const actionColor: Record<string, string> = {
  create: 'violet',
  recreate: 'orange',
  start: 'blue',
  keep: 'gray',
  exists: 'gray',
  external: 'gray',
  present: 'gray',
  pull: 'violet',
  build: 'violet',
};

function Row({ kind, name, action, note }: { kind: string; name: string; action: string; note?: string }) {
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {kind}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace">
          {name}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge size="sm" variant="light" color={actionColor[action] ?? 'gray'}>
          {action}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {note}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** What a launch would do now: read before pressing Launch. */
export function PlanView({ id, summary }: { id: string; summary: StackSummary }) {
  // The plan depends on the containers: recompute when the stack's state changes.
  const plan = useQuery({
    queryKey: ['stacks.plan', id, summary.status, summary.services.map((s) => s.container?.id ?? '').join()],
    queryFn: () => call('stacks.plan', { id }),
    staleTime: 0,
  });
  if (plan.isLoading) return <Loader size="sm" />;
  if (plan.error) {
    return (
      <Alert color="red" title="No plan">
        {plan.error.message}
      </Alert>
    );
  }
  const p = plan.data as StackPlan;
  return (
    <Stack data-testid="plan">
      {p.problems.length > 0 && (
        <Alert color="red" title="The launch would be refused, before anything is created">
          {p.problems.map((x) => (
            <Text key={x.message} size="sm">
              {x.message}
            </Text>
          ))}
        </Alert>
      )}
      {p.warnings.map((w) => (
        <Alert key={w.message} color="yellow">
          {w.message}
        </Alert>
      ))}
      {p.upToDate && <Text c="teal">Everything runs as the file says: launching again would change nothing.</Text>}
      <HostAccessSection id={id} access={p.hostAccess} />
      <Table verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>What</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Launch will</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {p.images.map((i) => (
            <Row
              key={i.ref}
              kind="Image"
              name={i.ref}
              action={i.action}
              note={i.context ? `from ${i.context}` : `for ${i.services.join(', ')}`}
            />
          ))}
          {p.networks.map((n) => (
            <Row key={n.name} kind="Network" name={n.name} action={n.action} note="services reach each other by name here" />
          ))}
          {p.volumes.map((v) => (
            <Row key={v.name} kind="Volume" name={v.name} action={v.action} note="kept when the stack is removed" />
          ))}
          {p.order.map((name) => {
            const s = p.services.find((x) => x.name === name)!;
            const ports = s.ports.map(portText).join(', ');
            return (
              <Row
                key={name}
                kind="Container"
                name={s.replicas && s.replicas > 1 ? `${s.container} … -${s.replicas}` : s.container}
                action={s.action}
                note={[
                  s.reason,
                  s.replicas && s.replicas > 1 ? `${s.replicas} containers` : '',
                  ports && `ports ${ports}`,
                  s.dependsOn.length ? `after ${s.dependsOn.join(', ')}` : '',
                ]
                  .filter(Boolean)
                  .join(' · ')}
              />
            );
          })}
          {p.orphans.map((o) => (
            <Row
              key={o.name}
              kind="Container"
              name={o.name}
              action="remove"
              note={
                p.services.some((s) => s.name === o.service)
                  ? 'beyond the service’s replicas'
                  : 'its service is no longer in the file'
              }
            />
          ))}
        </Table.Tbody>
      </Table>
      <Group>
        <Text size="xs" c="dimmed">
          Order: {p.order.join(' → ')}
        </Text>
      </Group>
    </Stack>
  );
}
