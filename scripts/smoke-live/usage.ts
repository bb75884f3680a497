import { DEFAULT_POLL_SECONDS, DEFAULT_REQUEST, DEFAULT_RESEARCH_MINUTES } from './options.js';

/** The `--help` text. */
export function renderUsage(): string {
  return `npm run smoke:live -- --repo owner/name [options]

The one check of the real services: against the real GitHub and the real model, it opens a New
connector request on a scratch repository, waits for the bot's plan, approves it, waits for the
research summary, cancels the run, and checks each step. It costs one research phase.

Before running it:
  - the bot must already be deployed and receiving the App's webhooks (npm start where GitHub
    reaches it, or WEBHOOK_PROXY_URL): this script only talks to GitHub, never to the bot;
  - --repo must be a scratch repository the App is installed on, prepared as for real runs
    (Issues on, the workflow and issue form from \`init\` on the default branch).

Environment (a .env in the current folder is read; variables already set win):
  SMOKE_GITHUB_TOKEN   token of a person with write access on --repo: opens the issue and
                       writes /approve and /cancel (the bot ignores commands from the App)
  APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH)
                       the bot's App, to check it is installed on --repo and to know its comments
  GITHUB_API_URL       another API base (GitHub Enterprise Server); default https://api.github.com

Options:
  --repo owner/name        required: where the request is opened
  --source <name>          source to request (default ${DEFAULT_REQUEST.source}, with its docs and tables)
  --docs <url>             a documentation link; repeat for more
  --tables <a,b>           tables to ask for (empty: research chooses)
  --research-minutes <n>   how long research may take after /approve (default ${DEFAULT_RESEARCH_MINUTES})
  --poll-seconds <s>       time between two looks at the issue (default ${DEFAULT_POLL_SECONDS})
  -h, --help               this text

Exit status: 0 every step passed, 1 a step failed (the run is cancelled), 2 refused to start
(bad arguments, a missing setting, the App not installed), 130 interrupted (the run is cancelled).
docs/smoke-live.md has the expected transcript.
`;
}
