import { ProbotOctokit } from 'probot';

/**
 * The Octokit class end-to-end tests hand to `startApp`: no retries (a fake's 5xx fails fast) and
 * no throttling. A function, not an object, because Probot wraps the class with its own defaults,
 * which carry its throttle options: object defaults would be overridden by them, and every write
 * would wait a second (three for comments) as in production.
 */
export const AppTestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

/** An Octokit with a static token against a local fake at `baseUrl`: no retries, no throttling. */
export function fakeOctokit(baseUrl: string): InstanceType<typeof ProbotOctokit> {
  return new ProbotOctokit({
    auth: { token: 'test-token' },
    baseUrl,
    retry: { enabled: false },
    throttle: { enabled: false },
  });
}
