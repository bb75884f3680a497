import type { FakeState, LabelRecord, RepoRecord } from './state.js';

/** What renderers need besides the records: URLs and the app's identity. */
export interface ViewContext {
  /** API base URL, e.g. `http://127.0.0.1:4567`; HTML links live under the same origin. */
  base: string;
  state: FakeState;
  appId: number;
  installationId: number;
  botLogin: string;
  /** ISO timestamp without milliseconds, from the injected clock. */
  now(): string;
}

/** A GraphQL-style global node id. */
export function nodeId(prefix: string, key: string | number): string {
  return `${prefix}_${Buffer.from(`fake:${key}`).toString('base64url')}`;
}

/** A `simple-user`; logins ending in `[bot]` are bots. */
export function renderUser(view: ViewContext, login: string) {
  const api = `${view.base}/users/${encodeURIComponent(login)}`;
  const id = view.state.userId(login);
  return {
    login,
    id,
    node_id: nodeId(login.endsWith('[bot]') ? 'BOT' : 'U', id),
    avatar_url: `${view.base}/avatars/u/${id}`,
    gravatar_id: '',
    url: api,
    html_url: `${view.base}/${encodeURIComponent(login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    site_admin: false,
  };
}

const REPO_URL_TEMPLATES: Array<[string, string]> = [
  ['archive_url', '/{archive_format}{/ref}'],
  ['assignees_url', '/assignees{/user}'],
  ['blobs_url', '/git/blobs{/sha}'],
  ['branches_url', '/branches{/branch}'],
  ['collaborators_url', '/collaborators{/collaborator}'],
  ['comments_url', '/comments{/number}'],
  ['commits_url', '/commits{/sha}'],
  ['compare_url', '/compare/{base}...{head}'],
  ['contents_url', '/contents/{+path}'],
  ['contributors_url', '/contributors'],
  ['deployments_url', '/deployments'],
  ['downloads_url', '/downloads'],
  ['events_url', '/events'],
  ['forks_url', '/forks'],
  ['git_commits_url', '/git/commits{/sha}'],
  ['git_refs_url', '/git/refs{/sha}'],
  ['git_tags_url', '/git/tags{/sha}'],
  ['hooks_url', '/hooks'],
  ['issue_comment_url', '/issues/comments{/number}'],
  ['issue_events_url', '/issues/events{/number}'],
  ['issues_url', '/issues{/number}'],
  ['keys_url', '/keys{/key_id}'],
  ['labels_url', '/labels{/name}'],
  ['languages_url', '/languages'],
  ['merges_url', '/merges'],
  ['milestones_url', '/milestones{/number}'],
  ['notifications_url', '/notifications{?since,all,participating}'],
  ['pulls_url', '/pulls{/number}'],
  ['releases_url', '/releases{/id}'],
  ['stargazers_url', '/stargazers'],
  ['statuses_url', '/statuses/{sha}'],
  ['subscribers_url', '/subscribers'],
  ['subscription_url', '/subscription'],
  ['tags_url', '/tags'],
  ['teams_url', '/teams'],
  ['trees_url', '/git/trees{/sha}'],
];

/** Base API URL of a repository. */
export function repoApiUrl(view: ViewContext, owner: string, repo: string): string {
  return `${view.base}/repos/${owner}/${repo}`;
}

/** One object valid as `full-repository`, `repository` and `minimal-repository`. */
export function renderRepo(view: ViewContext, record: RepoRecord) {
  const url = repoApiUrl(view, record.owner, record.repo);
  const html = `${view.base}/${record.owner}/${record.repo}`;
  const host = new URL(view.base).host;
  return {
    id: record.id,
    node_id: nodeId('R', record.id),
    name: record.repo,
    full_name: `${record.owner}/${record.repo}`,
    owner: renderUser(view, record.owner),
    private: record.private,
    visibility: record.private ? 'private' : 'public',
    html_url: html,
    description: null,
    fork: false,
    url,
    ...Object.fromEntries(REPO_URL_TEMPLATES.map(([key, suffix]) => [key, `${url}${suffix}`])),
    git_url: `git://${host}/${record.owner}/${record.repo}.git`,
    ssh_url: `git@${host}:${record.owner}/${record.repo}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    mirror_url: null,
    homepage: null,
    language: null,
    size: 0,
    default_branch: record.defaultBranch,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    open_issues: 0,
    open_issues_count: 0,
    network_count: 0,
    subscribers_count: 0,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    license: null,
    topics: [],
    pushed_at: record.createdAt,
    created_at: record.createdAt,
    updated_at: record.createdAt,
  };
}

/** The app as `integration` (GET /app, check runs). */
export function renderApp(view: ViewContext) {
  const slug = view.botLogin.replace(/\[bot\]$/, '');
  return {
    id: view.appId,
    slug,
    node_id: nodeId('A', view.appId),
    client_id: `Iv1.fake${view.appId}`,
    owner: renderUser(view, 'fake-app-owner'),
    name: slug,
    description: null,
    external_url: `${view.base}/apps/${slug}`,
    html_url: `${view.base}/apps/${slug}`,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    permissions: {
      issues: 'write',
      pull_requests: 'write',
      contents: 'write',
      checks: 'write',
      actions: 'write',
    },
    events: ['issues', 'issue_comment', 'workflow_run'],
  };
}

export function renderLabel(view: ViewContext, owner: string, repo: string, label: LabelRecord) {
  return {
    id: label.id,
    node_id: nodeId('LA', label.id),
    url: `${repoApiUrl(view, owner, repo)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: false,
  };
}
