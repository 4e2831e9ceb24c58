import { apiMessages, chatRequest, pathTo, type ApiChatRequest } from '../../../shared/chat-request';
import { sampleRequest } from '../../../shared/code-snippets';
import type { Conversation } from '../../../shared/contract';

/**
 * The request the chat sends for the last reply of the branch on screen: the system prompt and
 * the messages up to the latest message of the user, with the conversation's model and options.
 * A conversation with nothing asked yet gets a sample question. Attached images are left out
 * (they are base64, often megabytes): `imagesLeftOut` says how many.
 */
export async function conversationRequest(
  conversation: Conversation,
): Promise<{ request: ApiChatRequest; imagesLeftOut: number }> {
  const branch = pathTo(new Map(conversation.messages.map((m) => [m.id, m])), conversation.leafId);
  let lastUser = branch.length - 1;
  while (lastUser >= 0 && branch[lastUser]!.role !== 'user') lastUser--;
  const asked = branch.slice(0, lastUser + 1);
  const model = conversation.model || 'llama3.2';
  let imagesLeftOut = 0;
  const messages = await apiMessages(conversation.system, asked, (m) => {
    imagesLeftOut += m.images?.length ?? 0;
    return undefined;
  });
  if (!asked.length) messages.push(...sampleRequest(model).messages);
  return { request: chatRequest({ ...conversation, model }, messages), imagesLeftOut };
}
