import { ActionIcon, Badge, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconList, IconPlayerPlay, IconPlayerStop, IconRefresh, IconStethoscope } from '@tabler/icons-react';
import { useState } from 'react';
import type { StackServiceView, StackSummary } from '../../../../shared/contract';
import { call } from '../../api/client';
import { notifyError } from '../../components/notify';
import { openDoctor } from '../doctor/open';
import { OpenLink } from './OpenLink';
import { startLaunch } from './launches';
import { portText } from './plan-line';
import { serviceState } from './state';

function Ports({ service }: { service: StackServiceView }) {
  if (service.ports.length === 0) return <Text c="dimmed">—</Text>;
  return (
    <Text size="sm" ff="monospace">
      {service.ports.map((p) => `${portText(p)}${p.protocol === 'tcp' ? '' : `/${p.protocol}`}`).join(', ')}
    </Text>
  );
}

export function ServicesTable({ stack, onLogs }: { stack: StackSummary; onLogs: (service: string) => void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const act = async (service: string, action: 'start' | 'stop' | 'restart') => {
    setBusy(`${service}:${action}`);
    try {
      await call(`stacks.${action}`, { id: stack.id, service });
    } catch (error) {
      notifyError(`Could not ${action} ${service}`, error);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Table verticalSpacing="xs" highlightOnHover data-testid="services-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Service</Table.Th>
          <Table.Th>Image</Table.Th>
          <Table.Th>State</Table.Th>
          <Table.Th>Ports (host→container)</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {stack.services.map((s) => {
          const state = serviceState(s);
          const running = s.container?.state === 'running';
          return (
            <Table.Tr
              key={s.name}
              data-testid="service-row"
              data-service={s.name}
              data-state={s.container?.state ?? 'missing'}
              data-health={s.container?.health ?? ''}
            >
              <Table.Td>
                <Stack gap={0}>
                  <Text fw={500} size="sm">
                    {s.title ?? s.name}
                  </Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {s.name}
                    {s.container ? ` · ${s.container.name}` : ''}
                  </Text>
                  {s.profiles && (
                    <Text size="xs" c="dimmed" data-testid="service-profiles">
                      profile{s.profiles.length === 1 ? '' : 's'}: {s.profiles.join(', ')}
                    </Text>
                  )}
                </Stack>
              </Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={1} title={s.image}>
                  {s.image}
                </Text>
                {s.build && (
                  <Text size="xs" c="dimmed">
                    built by the launch
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Badge color={state.color} variant="light" data-testid="service-state">
                  {state.text}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Ports service={s} />
              </Table.Td>
              <Table.Td>
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  {s.links.map((l) => (
                    <OpenLink key={l.url} link={l} />
                  ))}
                  {!s.container && s.inactive && stack.source !== 'external' && (
                    <Tooltip label="Start this service now, though its profile is off (as docker compose up NAME)">
                      <ActionIcon
                        variant="subtle"
                        color="teal"
                        aria-label={`Start ${s.name}`}
                        disabled={stack.launching}
                        onClick={() => startLaunch(stack.id, { services: [s.name] })}
                        data-testid="start-by-name"
                      >
                        <IconPlayerPlay size={18} />
                      </ActionIcon>
                    </Tooltip>
                  )}
                  {s.container && (
                    <>
                      {running ? (
                        <Tooltip label="Stop">
                          <ActionIcon
                            variant="subtle"
                            aria-label={`Stop ${s.name}`}
                            loading={busy === `${s.name}:stop`}
                            onClick={() => act(s.name, 'stop')}
                          >
                            <IconPlayerStop size={18} />
                          </ActionIcon>
                        </Tooltip>
                      ) : (
                        <Tooltip label="Start">
                          <ActionIcon
                            variant="subtle"
                            color="teal"
                            aria-label={`Start ${s.name}`}
                            loading={busy === `${s.name}:start`}
                            onClick={() => act(s.name, 'start')}
                          >
                            <IconPlayerPlay size={18} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                      <Tooltip label="Restart">
                        <ActionIcon
                          variant="subtle"
                          aria-label={`Restart ${s.name}`}
                          loading={busy === `${s.name}:restart`}
                          onClick={() => act(s.name, 'restart')}
                        >
                          <IconRefresh size={18} />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Can it reach…?">
                        <ActionIcon
                          variant="subtle"
                          aria-label={`Check a connection from ${s.name}`}
                          disabled={!running}
                          onClick={() => openDoctor({ from: s.container!.id })}
                        >
                          <IconStethoscope size={18} />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Logs">
                        <ActionIcon variant="subtle" aria-label={`Logs of ${s.name}`} onClick={() => onLogs(s.name)}>
                          <IconList size={18} />
                        </ActionIcon>
                      </Tooltip>
                    </>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
