/**
 * An error the model can fix (a refused path, a missing file, an ambiguous edit, a bad regex): the
 * agent runtime sends its message back to the model as the tool result and the loop goes on. It is
 * deliberately not a `BotError`: it never reaches the queue, and anything else a tool throws fails
 * the job. Messages are short sentences addressed to the model and never echo secrets.
 */
export class ToolError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ToolError';
  }
}
