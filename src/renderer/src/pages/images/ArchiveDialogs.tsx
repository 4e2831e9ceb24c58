import { DropArea } from '../../components/DropArea';
import { Button, Code, FileButton, Group, Modal, MultiSelect, Radio, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { ImageArchiveFormat, ImageArchiveSource, ImageSummary } from '../../../../shared/contract';
import { hasNativeFiles, registerDropped, type PickedFile } from '../../api/transfers';
import { notifyError } from '../../components/notify';
import { runTransfer } from '../../components/transfer-notice';
import { loadTitles, saveTitles } from '../../lib/transfer-titles';

const label = (image: ImageSummary) => image.tags[0] ?? image.id.slice(0, 12);

/**
 * Loads the images of an archive: the file picked in the page (browser host: its bytes are sent)
 * or dropped (Electron: registered in main), else main's own open dialog asks. Resolves with the
 * names loaded, or null when it failed or was cancelled (the notice says which).
 */
export async function loadImageArchive(picked: PickedFile | null): Promise<string[] | null> {
  let source: ImageArchiveSource = { kind: 'choose' };
  try {
    if (picked && hasNativeFiles()) source = { kind: 'handle', handle: (await registerDropped([picked.file]))[0]!.handle };
    else if (picked) source = { kind: 'browser', name: picked.path, size: picked.file.size };
  } catch (failure) {
    notifyError('Could not read the dropped archive', failure);
    return null;
  }
  const last = await runTransfer(loadTitles, 'images.load', { source }, picked && !hasNativeFiles() ? [picked] : []);
  return last?.phase === 'done' ? (last.images ?? []) : null;
}

export function SaveImagesDialog({
  opened,
  initial,
  images,
  onClose,
}: {
  opened: boolean;
  /** The image the dialog opened for (a row's menu), by id. */
  initial: string[];
  images: ImageSummary[];
  onClose: () => void;
}) {
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [format, setFormat] = useState<ImageArchiveFormat>('docker-archive');
  const value = chosen ?? initial;
  const several = value.length > 1;
  const close = () => {
    setChosen(null);
    onClose();
  };
  const names = value.map((id) => label(images.find((i) => i.id === id) ?? ({ id, tags: [] } as unknown as ImageSummary)));
  const command = `podman save ${several ? '--multi-image-archive ' : ''}--format ${format} -o ${
    names.length === 1 ? names[0]!.split('/').pop()!.replace(':', '-') : 'images'
  }.tar ${names.join(' ')}`;
  const start = () => {
    close();
    void runTransfer(saveTitles(names), 'images.save', {
      images: value,
      format,
    });
  };
  return (
    <Modal opened={opened} onClose={close} title="Save images to a file" centered>
      <Stack>
        <MultiSelect
          label="Images"
          data={images.map((i) => ({ value: i.id, label: label(i) }))}
          value={value}
          onChange={setChosen}
          searchable
          data-testid="save-images"
        />
        <Radio.Group value={format} onChange={(v) => setFormat(v as ImageArchiveFormat)} label="Format">
          <Stack gap={6} mt={4}>
            <Radio value="docker-archive" label="docker-archive — works with podman load and docker load; holds several images" />
            <Radio
              value="oci-archive"
              label="oci-archive — the open standard; one image per file"
              disabled={several}
              data-testid="format-oci"
            />
          </Stack>
        </Radio.Group>
        <Text size="sm">
          The same as <Code>{command}</Code>
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button
            onClick={start}
            disabled={value.length === 0 || (several && format === 'oci-archive')}
            data-testid="save-images-start"
          >
            Save…
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function LoadImagesDialog({
  opened,
  onClose,
  onLoaded,
  intro,
}: {
  opened: boolean;
  onClose: () => void;
  onLoaded?: (names: string[]) => void;
  intro?: string;
}) {
  const [picked, setPicked] = useState<PickedFile | null>(null);
  const native = hasNativeFiles();
  const close = () => {
    setPicked(null);
    onClose();
  };
  const start = async () => {
    const file = picked;
    close();
    const names = await loadImageArchive(file);
    if (names) onLoaded?.(names);
  };
  return (
    <Modal opened={opened} onClose={close} title="Load images from a file" centered>
      <Stack>
        {intro && <Text size="sm">{intro}</Text>}
        <DropArea
          onDrop={(data) => {
            const file = data.files[0];
            if (file) setPicked({ file, path: file.name });
          }}
          testId="load-drop"
        >
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm" style={{ minWidth: 0, overflowWrap: 'anywhere' }} data-testid="load-picked">
              {picked
                ? picked.path
                : native
                  ? 'Drop a .tar or .tar.gz here, or choose it after Load'
                  : 'Drop a .tar or .tar.gz here, or choose it'}
            </Text>
            {!native && (
              <FileButton onChange={(f) => setPicked(f ? { file: f, path: f.name } : null)} accept=".tar,.gz,.tgz">
                {(props) => (
                  <Button variant="default" style={{ flexShrink: 0 }} data-testid="load-choose" {...props}>
                    Choose a file…
                  </Button>
                )}
              </FileButton>
            )}
          </Group>
        </DropArea>
        <Text size="sm">
          A file made by <Code>podman save</Code> or <Code>docker save</Code> (docker-archive or oci-archive, plain or gzipped).
          The same as <Code>podman load -i {picked?.path ?? 'images.tar'}</Code>
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button onClick={() => void start()} disabled={!native && !picked} data-testid="load-images-start">
            Load
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
