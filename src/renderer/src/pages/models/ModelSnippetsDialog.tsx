import { sampleRequest } from '../../../../shared/code-snippets';
import { CodeSnippetsDialog } from '../../components/CodeSnippetsDialog';

/** The Models page's "Call from your code": a one-question chat with the model, as the chat would send it. */
export function ModelSnippetsDialog({ model, onClose }: { model: string | null; onClose: () => void }) {
  return (
    <CodeSnippetsDialog
      opened={model !== null}
      onClose={onClose}
      request={model ? sampleRequest(model) : null}
      note="A one-question chat with the model's own settings. A conversation's menu gives the request of that conversation, with its messages and options."
    />
  );
}
