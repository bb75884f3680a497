import { z } from 'zod';
import type { ModelTool } from '../ports/model.js';
import type { Workspace } from '../workspace/workspace.js';

const MAX_TOOL_OUTPUT_CHARS = 60_000;

/** A client tool: its model-facing definition, input schema and what it does on the workspace. */
export interface AgentTool {
  definition: ModelTool;
  input: z.ZodType;
  /** Runs the tool; a `ToolError` goes back to the model, anything else fails the job. */
  run(input: unknown): Promise<string>;
}

function tool<S extends z.ZodType>(
  name: string,
  description: string,
  input: S,
  run: (input: z.output<S>) => Promise<string>,
): AgentTool {
  return {
    definition: { name, description, inputSchema: z.toJSONSchema(input) as Record<string, unknown> },
    input,
    run: async (raw) => bound(await run(input.parse(raw))),
  };
}

function bound(text: string): string {
  if (text.length <= MAX_TOOL_OUTPUT_CHARS) return text;
  return `${text.slice(0, MAX_TOOL_OUTPUT_CHARS)}\n… [output cut at ${MAX_TOOL_OUTPUT_CHARS} characters: read a line range instead]`;
}

const Path = z
  .string()
  .min(1)
  .max(300)
  .describe('Path from the repository root, e.g. src/databricks/labs/...');

/** The workspace tools an agent may be given, by name (`submit` and the server tools are added by the loop). */
export function createWorkspaceTools(workspace: Workspace): Record<string, AgentTool> {
  return {
    list_files: tool(
      'list_files',
      'List the files of the repository (branch snapshot plus your changes), optionally under a folder.',
      z.object({
        prefix: z.string().max(300).optional().describe('Folder to list, e.g. tests/unit/sources/'),
      }),
      async ({ prefix }) => {
        const files = await workspace.listFiles(prefix);
        return files.length === 0 ? 'No files.' : files.join('\n');
      },
    ),
    read_file: tool(
      'read_file',
      'Read a text file, or a range of its lines (1-based, inclusive).',
      z.object({
        path: Path,
        from_line: z.number().int().min(1).optional(),
        to_line: z.number().int().min(1).optional(),
      }),
      async ({ path, from_line, to_line }) => {
        const range =
          from_line === undefined && to_line === undefined
            ? undefined
            : { from: from_line ?? 1, to: to_line ?? Number.MAX_SAFE_INTEGER };
        return workspace.readFile(path, range);
      },
    ),
    search_files: tool(
      'search_files',
      'Search file contents line by line with an RE2 regular expression (no backreferences or lookaround; (?i) makes it case-insensitive); returns path:line: text for each match.',
      z.object({
        pattern: z.string().min(1).max(500).describe('RE2 syntax, e.g. def \\w+\\( or (?i)api_key'),
        prefix: z.string().max(300).optional(),
      }),
      async ({ pattern, prefix }) => {
        const matches = await workspace.searchFiles(pattern, prefix);
        return matches.length === 0 ? 'No matches.' : matches.join('\n');
      },
    ),
    write_file: tool(
      'write_file',
      'Create or replace a text file with the full content given.',
      z.object({ path: Path, content: z.string().max(1_000_000) }),
      async ({ path, content }) => {
        await workspace.writeFile(path, content);
        return `Wrote ${path} (${content.length} characters).`;
      },
    ),
    edit_file: tool(
      'edit_file',
      'Replace one exact occurrence of old_text with new_text in a file. old_text must match exactly once.',
      z.object({ path: Path, old_text: z.string().min(1), new_text: z.string() }),
      async ({ path, old_text, new_text }) => {
        await workspace.editFile(path, old_text, new_text);
        return `Edited ${path}.`;
      },
    ),
    delete_file: tool('delete_file', 'Delete a file.', z.object({ path: Path }), async ({ path }) => {
      await workspace.deleteFile(path);
      return `Deleted ${path}.`;
    }),
  };
}
