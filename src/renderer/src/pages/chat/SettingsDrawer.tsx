import { Button, Drawer, Group, NumberInput, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ChatParams, Conversation, ModelDetails } from '../../../../shared/contract';
import { call } from '../../api/client';
import { notifyDone, notifyError } from '../../components/notify';

const numeric: {
  key: Exclude<keyof ChatParams, 'keep_alive'>;
  label: string;
  hint: string;
  min: number;
  max: number;
  step: number;
  decimal?: boolean;
}[] = [
  {
    key: 'temperature',
    label: 'Temperature',
    hint: 'Higher is more creative (model default ≈ 0.8)',
    min: 0,
    max: 2,
    step: 0.1,
    decimal: true,
  },
  { key: 'top_p', label: 'top_p', hint: 'Nucleus sampling (default 0.9)', min: 0, max: 1, step: 0.05, decimal: true },
  { key: 'top_k', label: 'top_k', hint: 'Sample among the k likeliest tokens (default 40)', min: 1, max: 1000, step: 1 },
  {
    key: 'num_ctx',
    label: 'Context (num_ctx)',
    hint: 'Tokens the model remembers (Ollama default 4096)',
    min: 256,
    max: 1_048_576,
    step: 1024,
  },
  { key: 'seed', label: 'Seed', hint: 'The same seed repeats the same reply', min: -2_147_483_648, max: 2_147_483_647, step: 1 },
  { key: 'num_predict', label: 'Max reply tokens (num_predict)', hint: '-1: no limit', min: -2, max: 1_048_576, step: 64 },
];

/** Per-conversation model settings: system prompt, parameters, presets. Empty fields use the model's own defaults. */
export function SettingsDrawer(props: { conversation: Conversation; details?: ModelDetails; opened: boolean; onClose(): void }) {
  return (
    <Drawer opened={props.opened} onClose={props.onClose} position="right" title="Conversation settings" size="md">
      {/* Mounted when opened: the form starts from the conversation's current settings. */}
      {props.opened && <SettingsForm {...props} />}
    </Drawer>
  );
}

function SettingsForm(props: { conversation: Conversation; details?: ModelDetails; onClose(): void }) {
  const { conversation } = props;
  const queryClient = useQueryClient();
  const presets = useQuery({ queryKey: ['chat.presets'], queryFn: () => call('chat.presets') });
  const [system, setSystem] = useState(conversation.system);
  const [params, setParams] = useState<ChatParams>(conversation.params);
  const [presetName, setPresetName] = useState('');

  const save = async () => {
    try {
      await call('chat.update', { id: conversation.id, system, params });
      props.onClose();
    } catch (error) {
      notifyError('Could not save the settings', error);
    }
  };

  return (
    <Stack data-testid="conversation-settings">
      <Select
        label="Preset"
        placeholder="Apply a preset…"
        data={(presets.data ?? []).map((p) => ({ value: p.id, label: p.builtIn ? p.name : `${p.name} (yours)` }))}
        onChange={(id) => {
          const preset = presets.data?.find((p) => p.id === id);
          if (!preset) return;
          setParams(preset.params);
          if (preset.system || preset.builtIn) setSystem(preset.system);
        }}
        clearable
      />
      <Textarea
        label="System prompt"
        description="Instructions the model follows in this conversation"
        autosize
        minRows={3}
        maxRows={10}
        value={system}
        onChange={(e) => setSystem(e.currentTarget.value)}
        data-testid="system-prompt"
      />
      {numeric.map((p) => (
        <NumberInput
          key={p.key}
          label={p.label}
          description={
            p.key === 'num_ctx' && props.details?.contextLength
              ? `${p.hint}; this model handles up to ${props.details.contextLength.toLocaleString('en')}`
              : p.hint
          }
          placeholder="model default"
          min={p.min}
          max={p.max}
          step={p.step}
          decimalScale={p.decimal ? 2 : 0}
          value={params[p.key] ?? ''}
          onChange={(value) =>
            setParams((current) => {
              const next = { ...current };
              if (value === '' || value === undefined) delete next[p.key];
              else next[p.key] = Number(value);
              return next;
            })
          }
        />
      ))}
      <TextInput
        label="Keep loaded (keep_alive)"
        description="How long Ollama keeps the model in memory after a reply: 5m, 1h, 0 (unload at once), -1 (always)"
        placeholder="5m"
        value={params.keep_alive ?? ''}
        onChange={(e) => {
          const v = e.currentTarget.value.trim();
          setParams((current) => {
            const next = { ...current };
            if (v) next.keep_alive = v;
            else delete next.keep_alive;
            return next;
          });
        }}
      />
      <Group justify="space-between">
        <Button variant="subtle" onClick={() => setParams({})}>
          Reset to model defaults
        </Button>
        <Button onClick={() => void save()} data-testid="save-settings">
          Save
        </Button>
      </Group>
      <Text fw={500} size="sm" mt="md">
        Save these settings as a preset
      </Text>
      <Group align="end">
        <TextInput
          placeholder="My preset"
          value={presetName}
          onChange={(e) => setPresetName(e.currentTarget.value)}
          style={{ flex: 1 }}
        />
        <Button
          variant="default"
          disabled={!presetName.trim()}
          onClick={async () => {
            const id =
              presetName
                .trim()
                .toLowerCase()
                .replace(/[^a-z0-9]+/g, '-')
                .replace(/^-|-$/g, '')
                .slice(0, 60) || 'preset';
            try {
              await call('chat.savePreset', { id: `user-${id}`, name: presetName.trim(), system, params });
              await queryClient.invalidateQueries({ queryKey: ['chat.presets'] });
              notifyDone(`Preset “${presetName.trim()}” saved`);
              setPresetName('');
            } catch (error) {
              notifyError('Could not save the preset', error);
            }
          }}
        >
          Save preset
        </Button>
      </Group>
    </Stack>
  );
}
