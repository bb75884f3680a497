import type { Probot } from 'probot';
import type { z } from 'zod';
import type { HandlerDeps } from './handler-deps.js';
import { onIssue } from './on-issue.js';
import { onIssueComment } from './on-issue-comment.js';
import { onIssueLifecycle, onPullRequestLifecycle } from './on-lifecycle.js';
import { hidePastedCredentials } from './on-pasted-credentials.js';
import { onReview } from './on-review.js';
import { onWorkflowRun } from './on-workflow-run.js';
import {
  IssueCommentPayload,
  IssueLifecyclePayload,
  IssuePayload,
  PullRequestLifecyclePayload,
  ReviewCommentPayload,
  ReviewPayload,
  WorkflowRunPayload,
} from './payloads.js';

/** What a handler did with a delivery, for logs and tests. */
export type HandlerOutcome = string;

/**
 * Registers the thin webhook handlers on a Probot app. Each parses the fields it reads with zod;
 * a payload that does not match is logged and ignored, never a crash. Everything else about a run
 * happens in the workers.
 */
export function registerHandlers(app: Probot, deps: HandlerDeps): void {
  const handle =
    <S extends z.ZodType>(
      event: string,
      schema: S,
      run: (deliveryId: string, payload: z.output<S>) => Promise<HandlerOutcome>,
    ) =>
    async (context: { id: string; payload: unknown }) => {
      const log = deps.log.child({ deliveryId: context.id, event });
      const parsed = schema.safeParse(context.payload);
      if (!parsed.success) {
        log.warn(
          { issues: parsed.error.issues.slice(0, 5) },
          'Webhook payload does not match its schema; ignored',
        );
        deps.metrics?.observeWebhook(event, 'invalid_payload');
        return;
      }
      let outcome: HandlerOutcome;
      try {
        outcome = await run(context.id, parsed.data);
      } catch (error) {
        deps.metrics?.observeWebhook(event, 'error');
        throw error;
      }
      deps.metrics?.observeWebhook(event, outcome);
      log.info({ outcome }, 'Webhook handled');
    };
  app.on(
    'issues.opened',
    handle('issues.opened', IssuePayload, (id, payload) => onIssue(deps, id, 'opened', payload)),
  );
  app.on(
    'issues.edited',
    handle('issues.edited', IssuePayload, (id, payload) => onIssue(deps, id, 'edited', payload)),
  );
  // Closing the run's issue or PR stops the run as `/cancel` would; reopening says what happens next.
  for (const action of ['closed', 'reopened'] as const) {
    app.on(
      `issues.${action}`,
      handle(`issues.${action}`, IssueLifecyclePayload, (id, payload) =>
        onIssueLifecycle(deps, id, action, payload),
      ),
    );
    app.on(
      `pull_request.${action}`,
      handle(`pull_request.${action}`, PullRequestLifecyclePayload, (id, payload) =>
        onPullRequestLifecycle(deps, id, action, payload),
      ),
    );
  }
  app.on(
    'issue_comment.created',
    handle('issue_comment.created', IssueCommentPayload, (id, payload) => onIssueComment(deps, id, payload)),
  );
  // An edit runs no command (commands are read once, when written), but pasted credentials added
  // by an edit are hidden like new ones.
  app.on(
    'issue_comment.edited',
    handle(
      'issue_comment.edited',
      IssueCommentPayload,
      async (id, payload) => (await hidePastedCredentials(deps, id, payload)) ?? 'ignored_edit',
    ),
  );
  app.on(
    'pull_request_review.submitted',
    handle('pull_request_review.submitted', ReviewPayload, (id, payload) => onReview(deps, id, payload)),
  );
  app.on(
    'pull_request_review_comment.created',
    handle('pull_request_review_comment.created', ReviewCommentPayload, (id, payload) =>
      onReview(deps, id, payload),
    ),
  );
  app.on(
    'workflow_run.completed',
    handle('workflow_run.completed', WorkflowRunPayload, (id, payload) => onWorkflowRun(deps, id, payload)),
  );
  app.onError((error) => deps.log.error({ err: error }, 'Webhook handler failed'));
}
