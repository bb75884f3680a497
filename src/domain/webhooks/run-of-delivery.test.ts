import { describe, expect, it } from 'vitest';
import { renderMarker } from '../render/markers.js';
import { runOfDelivery } from './run-of-delivery.js';

const base = { installation: { id: 7 }, repository: { name: 'connectors', owner: { login: 'acme' } } };
const RUN = { installationId: 7, owner: 'acme', repo: 'connectors' };

describe('runOfDelivery', () => {
  it("names an issue's run, and a PR comment's or review's run from the PR body", () => {
    const prBody = `${renderMarker('pr-body')}\nCloses #42.\n\nBuilds the connector.`;
    expect(runOfDelivery('issues', { ...base, issue: { number: 42, body: 'x' } })).toEqual({
      ...RUN,
      issue: 42,
    });
    expect(
      runOfDelivery('issue_comment', { ...base, issue: { number: 43, body: prBody, pull_request: {} } }),
    ).toEqual({ ...RUN, issue: 42 });
    expect(runOfDelivery('pull_request_review', { ...base, pull_request: { body: prBody } })).toEqual({
      ...RUN,
      issue: 42,
    });
  });

  it("names a workflow run's issue by the run key at the end of its title", () => {
    const title = 'Lakeflow connector tests brightdesk simulate acme-connectors-42-b1-test-a2-simulate';
    expect(runOfDelivery('workflow_run', { ...base, workflow_run: { display_title: title } })).toEqual({
      ...RUN,
      issue: 42,
    });
  });

  it('names nothing for other events, foreign workflow runs or payloads that do not parse', () => {
    expect(runOfDelivery('push', { ...base })).toBeNull();
    expect(runOfDelivery('workflow_run', { ...base, workflow_run: { display_title: 'CI' } })).toBeNull();
    expect(runOfDelivery('issues', { issue: { number: 42 } })).toBeNull();
    expect(runOfDelivery('issues', 'not json')).toBeNull();
  });
});
