import { Badge, Button, Group, PasswordInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { StackDetail, StackVariable } from '../../../../shared/contract';
import { call } from '../../api/client';
import { notifyDone, notifyError } from '../../components/notify';

const sourceText: Record<StackVariable['source'], string> = {
  saved: 'set here',
  generated: 'generated',
  'env-file': '.env file',
  environment: 'environment',
  default: 'default',
  unset: 'not set',
};

/** The `${VARIABLES}` the file uses (images, ports, tokens), with what a launch would use now. */
export function VariablesForm({
  detail,
  onSaved,
  focus,
}: {
  detail: StackDetail;
  onSaved: () => void;
  /** The variable to put the cursor in (a launch failure's "Use another image"). */
  focus?: string;
}) {
  const initial = Object.fromEntries(
    detail.variables.map((v) => [v.name, v.source === 'saved' || v.secret ? (v.value ?? '') : '']),
  );
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [saving, setSaving] = useState(false);
  const changed = Object.fromEntries(Object.entries(values).filter(([k, v]) => v !== initial[k]));

  if (detail.variables.length === 0) return <Text c="dimmed">This file uses no variables.</Text>;

  const save = async () => {
    setSaving(true);
    try {
      await call('stacks.setVariables', { id: detail.id, values: changed });
      onSaved();
      notifyDone('Variables saved. Relaunch to apply them.');
    } catch (error) {
      notifyError('Variables not saved', error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Change an image or a port here instead of editing the file. Leave a field empty to use the default. A relaunch applies
        changes and recreates only the services they touch.
      </Text>
      <Table verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Variable</Table.Th>
            <Table.Th>Value</Table.Th>
            <Table.Th>Now from</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {detail.variables.map((v) => {
            const Input = v.secret ? PasswordInput : TextInput;
            return (
              <Table.Tr key={v.name} data-testid="variable-row" data-name={v.name}>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {v.name}
                  </Text>
                  {v.required && (
                    <Text size="xs" c="dimmed">
                      required
                    </Text>
                  )}
                </Table.Td>
                <Table.Td w="55%">
                  <Input
                    size="xs"
                    autoFocus={focus === v.name}
                    value={values[v.name] ?? ''}
                    placeholder={
                      v.source === 'environment' ? 'from PodDesk’s environment (not shown)' : (v.value ?? v.default ?? '')
                    }
                    onChange={(e) => setValues((prev) => ({ ...prev, [v.name]: e.currentTarget.value }))}
                  />
                </Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={v.source === 'unset' && v.required ? 'red' : 'gray'}>
                    {sourceText[v.source]}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Group>
        <Button onClick={save} loading={saving} disabled={Object.keys(changed).length === 0} data-testid="save-variables">
          Save variables
        </Button>
      </Group>
    </Stack>
  );
}
