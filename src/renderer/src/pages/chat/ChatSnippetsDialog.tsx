import { useEffect, useState } from 'react';
import type { ApiChatRequest } from '../../../../shared/chat-request';
import type { Conversation } from '../../../../shared/contract';
import { CodeSnippetsDialog } from '../../components/CodeSnippetsDialog';
import { conversationRequest } from '../../lib/conversation-request';

/** The snippets of a conversation: the request its last reply was sent with. */
export function ChatSnippetsDialog({ conversation, onClose }: { conversation: Conversation | null; onClose: () => void }) {
  const [built, setBuilt] = useState<{ request: ApiChatRequest; note?: string } | null>(null);
  useEffect(() => {
    if (!conversation) return;
    let live = true;
    void conversationRequest(conversation).then(({ request, imagesLeftOut }) => {
      if (!live) return;
      const notes: string[] = [];
      if (!conversation.messages.some((m) => m.role === 'user'))
        notes.push('Nothing is asked yet, so a sample question is shown.');
      if (!conversation.model) notes.push('No model is chosen yet: replace llama3.2 with one you have.');
      if (imagesLeftOut)
        notes.push(
          `${imagesLeftOut} attached image${imagesLeftOut === 1 ? ' is' : 's are'} left out: add each as base64 to the message’s "images" list.`,
        );
      setBuilt({ request, note: notes.join(' ') || undefined });
    });
    return () => {
      live = false;
    };
  }, [conversation]);
  return (
    <CodeSnippetsDialog
      opened={Boolean(conversation)}
      onClose={onClose}
      request={conversation ? (built?.request ?? null) : null}
      note={built?.note}
    />
  );
}
