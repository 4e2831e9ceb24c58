import { Alert, Badge, Code, Group, Loader, ScrollArea, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { FileEntry, Preview } from '../../../../shared/contract';
import { call } from '../../api/client';
import { formatBytes } from '../../lib/format';
import { CodeBlock } from '../../markdown/render';
import '../../markdown/markdown.css';

/** Above this, highlighting costs more than it helps: the text is shown plain. */
const HIGHLIGHT_LIMIT = 200 * 1024;

/** The preview's language names as the chat's highlighter (lowlight) knows them. */
const highlighterName: Record<string, string> = {
  javascript: 'javascript',
  jsx: 'javascript',
  typescript: 'typescript',
  tsx: 'typescript',
  json: 'json',
  yaml: 'yaml',
  markdown: 'markdown',
  css: 'css',
  markup: 'xml',
  python: 'python',
  go: 'go',
  rust: 'rust',
  sql: 'sql',
  c: 'c',
  cpp: 'cpp',
  java: 'java',
  kotlin: 'kotlin',
  swift: 'swift',
  bash: 'bash',
  graphql: 'graphql',
  ini: 'ini',
  toml: 'ini',
  php: 'php',
  ruby: 'ruby',
  makefile: 'makefile',
};

function TextPreview({ preview }: { preview: Extract<Preview, { kind: 'text' }> }) {
  const language = highlighterName[preview.language];
  const plain = preview.text.length > HIGHLIGHT_LIMIT || !language;
  return (
    <Stack gap={4}>
      {preview.truncated && (
        <Text size="xs" c="dimmed">
          Showing the first {formatBytes(preview.text.length)} of {formatBytes(preview.size)}.
        </Text>
      )}
      <ScrollArea.Autosize mah="calc(100vh - 260px)" type="auto">
        {plain ? (
          <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre' }} data-testid="preview-text">
            {preview.text}
          </pre>
        ) : (
          // The chat's code block: the same highlighter and colours everywhere in the app.
          <div className="md" data-testid="preview-text">
            <CodeBlock code={preview.text} lang={language} />
          </div>
        )}
      </ScrollArea.Autosize>
    </Stack>
  );
}

/**
 * Offset, then `perRow` bytes in hex and as printable characters. Eight a row (and a short offset
 * for the 16 KB PodDesk previews) keep a line inside the narrow preview pane.
 */
export function hexLines(bytes: Uint8Array, perRow = 8): string[] {
  const lines: string[] = [];
  const offsetDigits = bytes.length <= 0x10000 ? 4 : 8;
  for (let offset = 0; offset < bytes.length; offset += perRow) {
    const row = bytes.subarray(offset, offset + perRow);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const text = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(offsetDigits, '0')}  ${hex.padEnd(perRow * 3 - 1)}  ${text}`);
  }
  return lines;
}

function HexPreview({ preview }: { preview: Extract<Preview, { kind: 'binary' }> }) {
  const bytes = Uint8Array.from(atob(preview.base64), (c) => c.charCodeAt(0));
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed">
        Binary file{preview.truncated ? `: the first ${formatBytes(bytes.length)} of ${formatBytes(preview.size)}` : ''}.
      </Text>
      <ScrollArea.Autosize mah="calc(100vh - 260px)" type="auto">
        <pre style={{ margin: 0, fontSize: 11, lineHeight: 1.5 }} data-testid="preview-hex">
          {hexLines(bytes).join('\n')}
        </pre>
      </ScrollArea.Autosize>
    </Stack>
  );
}

export function FilePreview({ volume, entry }: { volume: string; entry: FileEntry }) {
  const escaping = entry.type === 'symlink' && entry.linkEscapes;
  const preview = useQuery({
    queryKey: ['volumes.files.preview', volume, entry.path, entry.mtime, entry.size],
    queryFn: () => call('volumes.files.preview', { volume, path: entry.path }),
    enabled: !escaping && entry.type !== 'dir',
  });
  return (
    <Stack gap="xs" data-testid="file-preview" data-path={entry.path}>
      <Group gap="xs">
        <Text fw={600} size="sm" style={{ wordBreak: 'break-all' }}>
          {entry.name}
        </Text>
        <Badge size="xs" variant="light">
          {entry.type === 'file' ? formatBytes(entry.size) : entry.type}
        </Badge>
      </Group>
      {entry.linkTarget !== undefined && (
        <Text size="xs" c="dimmed">
          Link to <Code>{entry.linkTarget}</Code>
        </Text>
      )}
      {escaping ? (
        <Alert color="orange" icon={<IconAlertTriangle size={16} />} data-testid="preview-refused">
          This link points outside the volume. PodDesk does not follow links out of a volume.
        </Alert>
      ) : preview.isLoading ? (
        <Loader size="sm" />
      ) : preview.error ? (
        <Alert color="red" icon={<IconAlertTriangle size={16} />}>
          {preview.error.message}
        </Alert>
      ) : preview.data?.kind === 'text' ? (
        <TextPreview preview={preview.data} />
      ) : preview.data?.kind === 'image' ? (
        <img
          src={`data:${preview.data.mime};base64,${preview.data.base64}`}
          alt={entry.name}
          style={{
            maxWidth: '100%',
            maxHeight: 'calc(100vh - 280px)',
            objectFit: 'contain',
            background: 'repeating-conic-gradient(#eee 0 25%, #fff 0 50%) 0 0 / 16px 16px',
          }}
          data-testid="preview-image"
        />
      ) : preview.data?.kind === 'binary' ? (
        <HexPreview preview={preview.data} />
      ) : preview.data?.kind === 'too-large' ? (
        <Text size="sm" c="dimmed" data-testid="preview-too-large">
          Too large to preview ({formatBytes(preview.data.size)}; images up to {formatBytes(preview.data.limit)}). Download it
          instead.
        </Text>
      ) : null}
    </Stack>
  );
}
