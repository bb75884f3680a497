import { costOf } from '../domain/accounting/pricing.js';
import { addUsage, NO_USAGE, totalTokens, type Usage } from '../domain/pipeline/run.js';
import {
  type ModelBlock,
  type ModelMessage,
  type ModelReply,
  PromptTooLongError,
  type SystemPart,
} from '../ports/model.js';
import { StageHandedOverError } from '../ports/stage-runner.js';
import { ToolError } from '../workspace/tool-error.js';
import type { AgentLoopState } from './agent-checkpoint.js';
import type { AgentRunParams, AgentRunResult } from './agent-run.js';
import { cutOffNudge, cutOffResult } from './cut-off.js';
import { DEFAULT_CONTEXT_WINDOW_TOKENS, estimateTokens, type FitLimits, fitHistory } from './fit-context.js';
import { submitTool } from './submit-tool.js';

const NUDGE =
  'Continue with the task. When you are done, call the `submit` tool with your report; it is the only way to finish.';

/**
 * The tool loop on the Messages API: every request carries the full history; tool errors the model
 * can fix (bad path, no match, policy refusal, invalid input, a report that fails its schema) go
 * back to it as `is_error` results; anything else thrown by a tool is an infrastructure error and
 * fails the job (it is never shown to the model). Budgets are checked after every turn; each turn's
 * cost goes to `onTurn` as it arrives, and an abort through `signal` stops the loop between turns
 * as well as the model call in flight. The history is kept inside the model's window
 * (`fitHistory`); a `PromptTooLongError` forces a trim and one retry. A reply cut off at
 * `max_tokens` never has its last tool call run: the model is told to send it again in smaller
 * parts, or to continue its text (each such turn counts as a nudge).
 */
export async function runAgent(params: AgentRunParams): Promise<AgentRunResult> {
  const started = params.clock.now().getTime();
  const messages: ModelMessage[] = params.resume
    ? [...params.resume.messages]
    : [{ role: 'user', content: contextBlocks(params.context) }];
  const tools = new Map(params.tools.map((tool) => [tool.definition.name, tool]));
  const submit = submitTool(params.submitSchema);
  const shared = params.sharedContext;
  const system: SystemPart[] = [
    ...(shared === undefined ? [] : [{ text: shared.text, cache: shared.cacheTtl }]),
    { text: params.agent.prompt, cache: params.reference.length === 0 ? '5m' : false },
    ...params.reference.map(
      (text, index): SystemPart => ({ text, cache: index === params.reference.length - 1 ? '5m' : false }),
    ),
  ];
  let usage: Usage = params.resume?.usage ?? NO_USAGE;
  let submitAttempts = params.resume?.submitAttempts ?? 0;
  let nudges = params.resume?.nudges ?? 0;
  const definitions = [...params.tools.map((tool) => tool.definition), submit.definition];
  const fit: FitLimits = {
    windowTokens: params.limits.contextWindowTokens ?? DEFAULT_CONTEXT_WINDOW_TOKENS,
    maxOutputTokens: params.limits.maxOutputTokens,
    fixedTokens: estimateTokens({ system, tools: definitions, messages: [] }),
  };
  const trim = (force: boolean): number => {
    const fitted = fitHistory(messages, fit, force);
    if (fitted.cleared > 0) messages.splice(0, messages.length, ...fitted.messages);
    return fitted.cleared;
  };
  const send = () =>
    params.model.createMessage({
      model: params.modelId,
      system,
      messages,
      tools: definitions,
      ...(params.serverTools === undefined ? {} : { serverTools: params.serverTools }),
      maxTokens: params.limits.maxOutputTokens,
      ...(params.signal === undefined ? {} : { signal: params.signal }),
    });
  for (let turn = (params.resume?.turns ?? 0) + 1; turn <= params.agent.maxTurns; turn += 1) {
    params.signal?.throwIfAborted();
    if (params.handOver?.()) {
      const state: AgentLoopState = { messages, usage, turns: turn - 1, submitAttempts, nudges };
      throw new StageHandedOverError(`${params.agent.name} handed over before turn ${turn}`, state);
    }
    if (params.clock.now().getTime() - started > params.limits.wallClockMs) {
      return {
        outcome: 'gave_up',
        reason: `ran out of time (${Math.round(params.limits.wallClockMs / 60_000)} min)`,
        usage,
        turns: turn - 1,
      };
    }
    trim(false);
    const reply = await send().catch((error: unknown) => {
      if (!(error instanceof PromptTooLongError) || trim(true) === 0) throw error;
      return send();
    });
    const turnUsage = priced(params, reply);
    usage = addUsage(usage, turnUsage);
    await params.onTurn?.(turn, turnUsage);
    messages.push({ role: 'assistant', content: reply.content });
    const over = overBudget(params, usage);
    if (over) return { ...over, usage, turns: turn };
    if (reply.stopReason === 'refusal')
      return { outcome: 'gave_up', reason: 'the model refused the task', usage, turns: turn };
    const calls = reply.content.filter(
      (block): block is Extract<ModelBlock, { type: 'tool_use' }> => block.type === 'tool_use',
    );
    const cutOff = reply.stopReason === 'max_tokens';
    const last = reply.content.at(-1);
    const cutCall = cutOff && last?.type === 'tool_use' ? last.id : null;
    if (calls.length === 0 || cutCall !== null) {
      if (reply.stopReason === 'pause_turn') continue;
      nudges += 1;
      if (nudges > params.limits.maxNudges)
        return {
          outcome: 'gave_up',
          reason: cutOff
            ? `the model's replies kept reaching the output limit (${params.limits.maxOutputTokens} tokens)`
            : 'the model stopped without submitting a report',
          usage,
          turns: turn,
        };
    }
    if (calls.length === 0) {
      const text = cutOff ? cutOffNudge(params.limits.maxOutputTokens) : NUDGE;
      messages.push({ role: 'user', content: [{ type: 'text', text }] });
      continue;
    }
    const results: ModelBlock[] = [];
    let report: { ok: true; value: unknown } | null = null;
    for (const call of calls) {
      if (call.id === cutCall) {
        results.push(cutOffResult(call, params.limits.maxOutputTokens));
        continue;
      }
      if (call.name === submit.definition.name) {
        const checked = submit.check(call.input);
        if (checked.ok) {
          report = { ok: true, value: checked.report };
          results.push({ type: 'tool_result', tool_use_id: call.id, content: 'Report accepted.' });
        } else {
          submitAttempts += 1;
          results.push({ type: 'tool_result', tool_use_id: call.id, content: checked.error, is_error: true });
        }
        continue;
      }
      results.push(await runTool(tools.get(call.name), call));
    }
    params.signal?.throwIfAborted();
    if (report) return { outcome: 'submitted', report: report.value, usage, turns: turn };
    if (submitAttempts >= params.limits.maxSubmitAttempts) {
      return {
        outcome: 'gave_up',
        reason: `the report failed its check ${submitAttempts} times`,
        usage,
        turns: turn,
      };
    }
    messages.push({ role: 'user', content: results });
  }
  return {
    outcome: 'gave_up',
    reason: `reached its limit of ${params.agent.maxTurns} turns without submitting`,
    usage,
    turns: params.agent.maxTurns,
  };
}

function contextBlocks(context: string | readonly string[]): ModelBlock[] {
  const parts = typeof context === 'string' ? [context] : context;
  return parts.map((text) => ({ type: 'text', text }));
}

async function runTool(
  tool: AgentRunParams['tools'][number] | undefined,
  call: { id: string; name: string; input: unknown },
): Promise<ModelBlock> {
  if (tool === undefined) {
    return {
      type: 'tool_result',
      tool_use_id: call.id,
      content: `Unknown tool "${call.name}".`,
      is_error: true,
    };
  }
  const input = tool.input.safeParse(call.input);
  if (!input.success) {
    const problems = input.error.issues
      .map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`)
      .join('; ');
    return {
      type: 'tool_result',
      tool_use_id: call.id,
      content: `Invalid input for ${call.name}: ${problems}`,
      is_error: true,
    };
  }
  try {
    return { type: 'tool_result', tool_use_id: call.id, content: await tool.run(input.data) };
  } catch (error) {
    if (error instanceof ToolError)
      return { type: 'tool_result', tool_use_id: call.id, content: error.message, is_error: true };
    throw error;
  }
}

function priced(params: AgentRunParams, reply: ModelReply): Usage {
  const { usage } = reply;
  const costUsd = costOf({ usage, modelId: params.modelId, table: params.prices });
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheReadTokens: usage.cacheReadTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    costUsd,
  };
}

function overBudget(
  params: AgentRunParams,
  usage: Usage,
): { outcome: 'budget_exceeded'; budget: 'stage' | 'run'; limitUsd: number; limitTokens?: number } | null {
  const spent = addUsage(params.spent ?? NO_USAGE, usage);
  const { stageUsd, runLeftUsd, stageTokens, runTokensLeft } = params.budget;
  const tokens = totalTokens(spent);
  if (spent.costUsd >= runLeftUsd) return { outcome: 'budget_exceeded', budget: 'run', limitUsd: runLeftUsd };
  if (runTokensLeft !== undefined && tokens >= runTokensLeft) {
    return { outcome: 'budget_exceeded', budget: 'run', limitUsd: runLeftUsd, limitTokens: runTokensLeft };
  }
  if (spent.costUsd >= stageUsd) return { outcome: 'budget_exceeded', budget: 'stage', limitUsd: stageUsd };
  if (stageTokens !== undefined && tokens >= stageTokens) {
    return { outcome: 'budget_exceeded', budget: 'stage', limitUsd: stageUsd, limitTokens: stageTokens };
  }
  return null;
}
