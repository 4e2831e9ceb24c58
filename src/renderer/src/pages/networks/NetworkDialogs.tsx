import { ActionIcon, Button, Checkbox, Group, Modal, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { IconPlus, IconX } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { checkGateway, parseCidr, parseIp, parseRange } from '../../../../shared/cidr';
import type { ContainerSummary, NetworkSummary } from '../../../../shared/contract';
import { call } from '../../api/client';
import { networkConnectCommand, networkCreateCommand } from '../../../../shared/podman-commands';
import { CommandPreview } from '../../components/CommandPreview';
import { notifyDone, notifyError } from '../../components/notify';
import { KeyValueInput, parseKeyValues } from '../volumes/KeyValueInput';

interface SubnetForm {
  subnet: string;
  gateway: string;
  range: string;
}

/** The same checks main makes, as the user types: a CIDR typo is a sentence under the field. */
export function subnetErrors(s: SubnetForm): Partial<Record<keyof SubnetForm, string>> {
  const errors: Partial<Record<keyof SubnetForm, string>> = {};
  if (!s.subnet.trim()) {
    if (s.gateway || s.range) errors.subnet = 'A gateway or range needs a subnet';
    return errors;
  }
  const parsed = parseCidr(s.subnet);
  if (!parsed.ok) return { subnet: parsed.message };
  if (s.gateway.trim()) {
    const problem = checkGateway(parsed.cidr, s.gateway.trim());
    if (problem) errors.gateway = problem;
  }
  if (s.range.trim()) {
    const range = parseRange(parsed.cidr, s.range);
    if (!range.ok) errors.range = range.message;
  }
  return errors;
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function CreateNetworkDialog({
  opened,
  onClose,
  networks,
}: {
  opened: boolean;
  onClose: () => void;
  networks: NetworkSummary[];
}) {
  const drivers = useQuery({ queryKey: ['networks.drivers'], queryFn: () => call('networks.drivers'), enabled: opened });
  const [name, setName] = useState('');
  const [driver, setDriver] = useState('bridge');
  const [parent, setParent] = useState('');
  const [subnets, setSubnets] = useState<SubnetForm[]>([{ subnet: '', gateway: '', range: '' }]);
  const [internal, setInternal] = useState(false);
  const [ipv6, setIpv6] = useState(false);
  const [dns, setDns] = useState(true);
  const [dnsServers, setDnsServers] = useState<string[]>([]);
  const [labels, setLabels] = useState('');
  const [busy, setBusy] = useState(false);

  const nameError = !name
    ? null
    : !NAME.test(name)
      ? 'Letters, digits, _ . - (starting with a letter or digit)'
      : networks.some((n) => n.name === name)
        ? 'A network with this name exists'
        : null;
  const errors = subnets.map(subnetErrors);
  const dnsError = dnsServers.find((s) => !parseIp(s));
  const filled = subnets.filter((s) => s.subnet.trim());
  const needsSubnet = driver !== 'bridge' && filled.length === 0;
  const parsedLabels = parseKeyValues(labels);
  const invalid =
    !name ||
    Boolean(nameError) ||
    errors.some((e) => Object.keys(e).length > 0) ||
    Boolean(dnsError) ||
    needsSubnet ||
    Boolean(parsedLabels.error);
  const offered = drivers.data ?? ['bridge', 'macvlan'];

  const reset = () => {
    setName('');
    setDriver('bridge');
    setParent('');
    setSubnets([{ subnet: '', gateway: '', range: '' }]);
    setInternal(false);
    setIpv6(false);
    setDns(true);
    setDnsServers([]);
    setLabels('');
  };
  const submit = async () => {
    setBusy(true);
    try {
      await call('networks.create', {
        name,
        driver: driver as 'bridge' | 'macvlan' | 'ipvlan',
        ...(parent ? { parent } : {}),
        subnets: filled.map((s) => ({
          subnet: s.subnet.trim(),
          ...(s.gateway.trim() ? { gateway: s.gateway.trim() } : {}),
          ...(s.range.trim() ? { range: s.range.trim() } : {}),
        })),
        internal,
        ipv6,
        dnsEnabled: dns,
        dnsServers,
        labels: parsedLabels.values,
      });
      notifyDone(`Network ${name} created`);
      reset();
      onClose();
    } catch (e) {
      notifyError('Could not create the network', e);
    } finally {
      setBusy(false);
    }
  };
  const update = (i: number, patch: Partial<SubnetForm>) =>
    setSubnets((all) => all.map((s, j) => (j === i ? { ...s, ...patch } : s)));

  return (
    <Modal opened={opened} onClose={onClose} title="Create a network" centered size="xl">
      <Stack>
        <Group grow align="flex-start">
          <TextInput
            label="Name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={nameError}
            data-autofocus
            data-testid="network-name"
          />
          <Select
            label="Driver"
            value={driver}
            onChange={(v) => setDriver(v ?? 'bridge')}
            data={['bridge', 'macvlan', 'ipvlan'].map((d) => ({
              value: d,
              label: offered.includes(d) ? d : `${d} (not offered by this Podman)`,
              disabled: !offered.includes(d),
            }))}
            allowDeselect={false}
          />
        </Group>
        {driver !== 'bridge' && (
          <TextInput
            label="Parent interface"
            description="The host interface to attach to, e.g. eth0"
            value={parent}
            onChange={(e) => setParent(e.currentTarget.value)}
          />
        )}
        <Stack gap="xs">
          <Text size="sm" fw={500}>
            Subnets{' '}
            {driver === 'bridge' && (
              <Text span c="dimmed" size="xs">
                (leave empty and Podman picks a free one)
              </Text>
            )}
          </Text>
          {subnets.map((s, i) => (
            <Group key={i} grow align="flex-start" wrap="nowrap">
              <TextInput
                placeholder="10.89.5.0/24"
                aria-label="Subnet"
                value={s.subnet}
                onChange={(e) => update(i, { subnet: e.currentTarget.value })}
                error={errors[i]?.subnet ?? (needsSubnet && i === 0 ? `${driver} needs a subnet` : undefined)}
                data-testid="subnet-input"
              />
              <TextInput
                placeholder="Gateway (optional)"
                aria-label="Gateway"
                value={s.gateway}
                onChange={(e) => update(i, { gateway: e.currentTarget.value })}
                error={errors[i]?.gateway}
              />
              <TextInput
                placeholder="IP range: CIDR or a-b"
                aria-label="IP range"
                value={s.range}
                onChange={(e) => update(i, { range: e.currentTarget.value })}
                error={errors[i]?.range}
              />
              <ActionIcon
                variant="subtle"
                color="gray"
                mt={6}
                style={{ flexGrow: 0 }}
                aria-label="Remove subnet"
                onClick={() =>
                  setSubnets((all) => (all.length > 1 ? all.filter((_, j) => j !== i) : [{ subnet: '', gateway: '', range: '' }]))
                }
              >
                <IconX size={16} />
              </ActionIcon>
            </Group>
          ))}
          <Button
            variant="subtle"
            size="compact-sm"
            leftSection={<IconPlus size={14} />}
            w="fit-content"
            onClick={() => setSubnets((all) => [...all, { subnet: '', gateway: '', range: '' }])}
          >
            Add a subnet
          </Button>
        </Stack>
        <Group>
          <Checkbox
            label="Internal (no outside access)"
            checked={internal}
            onChange={(e) => setInternal(e.currentTarget.checked)}
          />
          <Checkbox label="IPv6" checked={ipv6} onChange={(e) => setIpv6(e.currentTarget.checked)} />
          <Checkbox label="DNS between containers" checked={dns} onChange={(e) => setDns(e.currentTarget.checked)} />
        </Group>
        <TagsInput
          label="DNS servers"
          description="For containers on this network (Podman 4.5 and later)"
          placeholder="1.1.1.1"
          value={dnsServers}
          onChange={setDnsServers}
          error={dnsError ? `“${dnsError}” is not an IP address` : undefined}
        />
        <KeyValueInput label="Labels" value={labels} onChange={setLabels} />
        <CommandPreview
          commands={
            invalid
              ? null
              : networkCreateCommand({
                  name,
                  driver,
                  ...(parent ? { parent } : {}),
                  subnets: filled.map((s) => ({
                    subnet: s.subnet.trim(),
                    ...(s.gateway.trim() ? { gateway: s.gateway.trim() } : {}),
                    ...(s.range.trim() ? { range: s.range.trim() } : {}),
                  })),
                  internal,
                  ipv6,
                  dnsEnabled: dns,
                  dnsServers,
                  labels: parsedLabels.values,
                })
          }
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={submit} loading={busy} disabled={invalid} data-testid="create-network-submit">
            Create
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function ConnectDialog({
  network,
  onClose,
  containers,
}: {
  network: NetworkSummary | null;
  onClose: () => void;
  containers: ContainerSummary[];
}) {
  const [container, setContainer] = useState<string | null>(null);
  const [aliases, setAliases] = useState<string[]>([]);
  const [ip, setIp] = useState('');
  const [busy, setBusy] = useState(false);
  if (!network) return null;
  const parsedIp = ip.trim() ? parseIp(ip.trim()) : null;
  const ipError = ip.trim() && !parsedIp ? 'Not an IP address' : null;
  const close = () => {
    setContainer(null);
    setAliases([]);
    setIp('');
    onClose();
  };
  const submit = async () => {
    setBusy(true);
    try {
      await call('networks.connect', {
        network: network.name,
        container: container!,
        aliases,
        ...(parsedIp ? (parsedIp.family === 4 ? { ipv4: ip.trim() } : { ipv6: ip.trim() }) : {}),
      });
      notifyDone(`${containers.find((c) => c.id === container)?.name ?? 'The container'} connected to ${network.name}`);
      close();
    } catch (e) {
      notifyError('Could not connect', e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={close} title={`Connect a container to ${network.name}`} centered>
      <Stack>
        <Select
          label="Container"
          searchable
          placeholder="Pick a container"
          value={container}
          onChange={setContainer}
          data={containers.filter((c) => !c.isInfra).map((c) => ({ value: c.id, label: `${c.name} (${c.state})` }))}
          data-testid="connect-container"
          comboboxProps={{ withinPortal: true }}
        />
        <TagsInput
          label="Aliases"
          description="Names other containers on this network reach it by"
          value={aliases}
          onChange={setAliases}
          data-testid="connect-aliases"
        />
        <TextInput
          label="Static IP (optional)"
          placeholder={network.subnets[0] ? `inside ${network.subnets.map((s) => s.subnet).join(', ')}` : ''}
          value={ip}
          onChange={(e) => setIp(e.currentTarget.value)}
          error={ipError}
        />
        <CommandPreview
          commands={
            container && !ipError
              ? networkConnectCommand({
                  network: network.name,
                  container: containers.find((c) => c.id === container)?.name ?? container,
                  aliases,
                  ...(parsedIp ? (parsedIp.family === 4 ? { ipv4: ip.trim() } : { ipv6: ip.trim() }) : {}),
                })
              : null
          }
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button onClick={submit} loading={busy} disabled={!container || Boolean(ipError)} data-testid="connect-submit">
            Connect
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
