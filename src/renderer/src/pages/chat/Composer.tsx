import {
  ActionIcon,
  Button,
  CloseButton,
  FileButton,
  Group,
  Image,
  Paper,
  Stack,
  Switch,
  Text,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { IconPaperclip, IconPlayerStopFilled, IconSend } from '@tabler/icons-react';
import { useState, type ClipboardEvent, type DragEvent } from 'react';
import { MAX_IMAGE_BYTES, MAX_IMAGES, MAX_MESSAGE_CHARS, type ImageUpload } from '../../../../shared/contract';
import { notifyError } from '../../components/notify';

export interface Attachment extends ImageUpload {
  url: string;
}

const accepted = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];

function readFile(file: File): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve({ name: file.name || 'pasted image', mime: file.type, data: url.slice(url.indexOf(',') + 1), url });
    };
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

function decodes(url: string): Promise<boolean> {
  const img = document.createElement('img');
  img.src = url;
  return img.decode().then(
    () => true,
    () => false,
  );
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line; images by the clip button,
 * drag & drop or paste (for models that see). Main checks every image's bytes again.
 */
export function Composer(props: {
  streaming: boolean;
  disabled?: string;
  vision: boolean;
  thinking: boolean;
  think: boolean | null;
  onThink(value: boolean): void;
  onSend(content: string, images: Attachment[]): Promise<boolean>;
  onStop(): void;
}) {
  const [text, setText] = useState('');
  const [images, setImages] = useState<Attachment[]>([]);
  const [sending, setSending] = useState(false);
  const [dragging, setDragging] = useState(false);

  const add = async (files: File[]) => {
    if (!props.vision) {
      notifyError('This model does not take images', new Error('Choose a vision model (such as llava) to attach images'));
      return;
    }
    for (const file of files) {
      if (!accepted.includes(file.type)) {
        notifyError(`${file.name} was not attached`, new Error('Only PNG, JPEG, WebP and GIF images can be attached'));
        continue;
      }
      if (file.size > MAX_IMAGE_BYTES) {
        notifyError(`${file.name} was not attached`, new Error(`Images are at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB`));
        continue;
      }
      const image = await readFile(file);
      // A file whose name or type says image but whose bytes are not one: say so now, not at Send.
      if (!(await decodes(image.url))) {
        notifyError(`${file.name} was not attached`, new Error(`${file.name} is not an image (PNG, JPEG, WebP or GIF)`));
        continue;
      }
      setImages((list) => (list.length >= MAX_IMAGES ? list : [...list, image]));
    }
  };

  const tooLong = text.length > MAX_MESSAGE_CHARS;
  const empty = text.trim() === '' && images.length === 0;
  const send = async () => {
    if (empty || tooLong || sending || props.disabled) return;
    setSending(true);
    const sent = await props.onSend(text, images);
    setSending(false);
    if (sent) {
      setText('');
      setImages([]);
    }
  };

  return (
    <Paper
      withBorder
      radius="md"
      p="xs"
      style={dragging ? { outline: '2px dashed var(--mantine-color-blue-5)' } : undefined}
      onDragOver={(e: DragEvent) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e: DragEvent) => {
        e.preventDefault();
        setDragging(false);
        void add([...e.dataTransfer.files]);
      }}
      data-testid="composer"
    >
      <Stack gap={6}>
        {images.length > 0 && (
          <Group gap="xs">
            {images.map((image, i) => (
              <div key={i} style={{ position: 'relative' }}>
                <Image src={image.url} alt={image.name} h={64} w="auto" radius="sm" />
                <CloseButton
                  size="xs"
                  aria-label={`Remove ${image.name}`}
                  style={{ position: 'absolute', top: 2, right: 2 }}
                  onClick={() => setImages((list) => list.filter((_, j) => j !== i))}
                />
              </div>
            ))}
          </Group>
        )}
        <Textarea
          variant="unstyled"
          autosize
          minRows={2}
          maxRows={12}
          placeholder={props.disabled ?? 'Message the model — Enter sends, Shift+Enter for a new line'}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void send();
            }
          }}
          onPaste={(e: ClipboardEvent) => {
            const files = [...e.clipboardData.files].filter((f) => f.type.startsWith('image/'));
            if (files.length) {
              e.preventDefault();
              void add(files);
            }
          }}
          error={
            tooLong
              ? `A message is at most ${MAX_MESSAGE_CHARS.toLocaleString('en')} characters (this one has ${text.length.toLocaleString('en')})`
              : undefined
          }
          aria-label="Message"
          data-testid="message-input"
        />
        <Group justify="space-between">
          <Group gap="xs">
            <FileButton onChange={(files) => void add(files)} accept={accepted.join(',')} multiple>
              {(fileProps) => (
                <Tooltip label={props.vision ? 'Attach images' : 'This model does not take images'}>
                  <ActionIcon
                    {...fileProps}
                    variant="subtle"
                    aria-label="Attach images"
                    disabled={!props.vision}
                    data-testid="attach"
                  >
                    <IconPaperclip size={18} />
                  </ActionIcon>
                </Tooltip>
              )}
            </FileButton>
            {props.thinking && (
              <Switch
                size="xs"
                label="Think"
                checked={props.think !== false}
                onChange={(e) => props.onThink(e.currentTarget.checked)}
                data-testid="think-toggle"
              />
            )}
            {text.length > 2_000 && (
              <Text size="xs" c="dimmed">
                {text.length.toLocaleString('en')} characters
              </Text>
            )}
          </Group>
          {props.streaming ? (
            <Button
              color="red"
              variant="light"
              leftSection={<IconPlayerStopFilled size={16} />}
              onClick={props.onStop}
              data-testid="stop"
            >
              Stop
            </Button>
          ) : (
            <Button
              leftSection={<IconSend size={16} />}
              onClick={() => void send()}
              disabled={empty || tooLong || Boolean(props.disabled)}
              loading={sending}
              data-testid="send"
            >
              Send
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
