import { Alert, Button, FileButton, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconFileImport, IconFolderOpen } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { call } from '../../api/client';
import { notifyError } from '../../components/notify';
import { navigate } from '../../lib/router';

export interface ImportSeed {
  yaml?: string;
  fileName?: string;
}

const NAME = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * Import a compose.yaml / docker-compose.yml: dropped on the page, picked, pasted, or chosen as a
 * file on this computer (then relative paths in it keep pointing beside it).
 */
export function ImportModal({ seed, onClose }: { seed: ImportSeed; onClose: () => void }) {
  const [yaml, setYaml] = useState(seed.yaml ?? '');
  const [fileName, setFileName] = useState(seed.fileName);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [debounced, setDebounced] = useState(yaml);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(yaml), 300);
    return () => clearTimeout(timer);
  }, [yaml]);
  const check = useQuery({
    queryKey: ['stacks.validate', 'import', debounced],
    queryFn: () => call('stacks.validate', { yaml: debounced }),
    enabled: debounced.trim().length > 0,
    staleTime: Infinity,
  });
  const nameOk = name === '' || NAME.test(name);

  const done = (id: string) => {
    onClose();
    navigate(`/stacks/${encodeURIComponent(id)}`);
  };
  const importText = async () => {
    setBusy(true);
    try {
      const detail = await call('stacks.import', { yaml, ...(fileName ? { fileName } : {}), ...(name ? { name } : {}) });
      done(detail.id);
    } catch (error) {
      notifyError('Not imported', error);
    } finally {
      setBusy(false);
    }
  };
  const importFromHost = async () => {
    setBusy(true);
    try {
      const detail = await call('stacks.importFromHost', name ? { name } : {});
      if (detail) done(detail.id);
    } catch (error) {
      notifyError('Not imported', error);
    } finally {
      setBusy(false);
    }
  };

  const issues = check.data?.issues ?? [];
  return (
    <Modal opened onClose={onClose} title="Import a Compose file" size="lg" centered>
      <Stack>
        <Group>
          <FileButton
            accept=".yaml,.yml,application/yaml,text/yaml"
            onChange={async (file) => {
              if (!file) return;
              setFileName(file.name);
              setYaml(await file.text());
            }}
          >
            {(props) => (
              <Button {...props} variant="default" leftSection={<IconFileImport size={16} />}>
                Pick a file…
              </Button>
            )}
          </FileButton>
          <Button variant="default" leftSection={<IconFolderOpen size={16} />} onClick={importFromHost} loading={busy}>
            Open from this computer…
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          “Open from this computer” keeps relative paths (build folders, bind mounts, .env) working. Or drop a file on the Stacks
          page, or paste the text below.
          {fileName ? ` Loaded: ${fileName}.` : ''}
        </Text>
        <Textarea
          value={yaml}
          onChange={(e) => setYaml(e.currentTarget.value)}
          minRows={10}
          maxRows={18}
          autosize
          spellCheck={false}
          placeholder={'services:\n  web:\n    image: docker.io/library/nginx:alpine\n    ports: ["8080:80"]'}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
          aria-label="Compose file text"
          data-testid="import-text"
        />
        <TextInput
          label="Stack name"
          description={`Lower-case letters, digits, - and _. Empty: ${check.data?.project ?? 'the file’s name: or its file name'}`}
          value={name}
          onChange={(e) => setName(e.currentTarget.value.trim())}
          error={nameOk ? undefined : 'Use lower-case letters, digits, - and _ only'}
          data-testid="import-name"
        />
        {issues.length > 0 && (
          <Alert
            color={issues.some((i) => i.severity === 'error') ? 'orange' : 'yellow'}
            title="Found in the file (you can fix these after importing)"
          >
            {issues.slice(0, 8).map((i, n) => (
              <Text key={n} size="sm">
                {i.line ? `Line ${i.line}: ` : ''}
                {i.message}
              </Text>
            ))}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={importText} loading={busy} disabled={!yaml.trim() || !nameOk} data-testid="import-confirm">
            Import
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
