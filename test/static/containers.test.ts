import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { AppEnv } from '../../src/config/env.js';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

/** Dockerfile instructions, continuation lines joined, comments dropped, grouped by stage. */
function readStages(text: string): { from: string; instructions: string[] }[] {
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: { from: string; instructions: string[] }[] = [];
  for (const instruction of instructions) {
    if (/^FROM\s/i.test(instruction)) stages.push({ from: instruction, instructions: [] });
    else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

describe('Dockerfile', () => {
  const stages = readStages(read('Dockerfile'));
  const build = stages[0];
  const runtime = stages.at(-1);
  const has = (stage: typeof runtime, pattern: RegExp) =>
    stage?.instructions.some((line) => pattern.test(line));

  it('builds in one stage and runs in another, both on a supported Node line (22 or 24: 20 reached end of life)', () => {
    expect(stages).toHaveLength(2);
    expect(build?.from).toMatch(/^FROM node:(22|24)(-slim)? AS build$/);
    expect(has(build, /^RUN npm ci$/)).toBe(true);
    expect(has(build, /^RUN npm run build$/)).toBe(true);
    expect(runtime?.from).toMatch(/^FROM node:(22|24)-slim\b/);
  });

  it('runs the compiled code, so tsx stays a development dependency', () => {
    const pkg = JSON.parse(read('package.json')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(has(runtime, /^CMD \["node", "dist\/main\.js"\]$/)).toBe(true);
    expect(pkg.dependencies.tsx).toBeUndefined();
    expect(pkg.devDependencies.tsx).toBeDefined();
  });

  it('installs only production dependencies and runs as a non-root user', () => {
    expect(has(runtime, /^RUN npm ci --omit=dev\b/)).toBe(true);
    expect(has(runtime, /^ENV NODE_ENV=production$/)).toBe(true);
    const users = runtime?.instructions.filter((line) => /^USER\s/.test(line)) ?? [];
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^USER\s+(root|0)(:|$)/);
    const lastUser = runtime?.instructions.lastIndexOf(users.at(-1) ?? '') ?? -1;
    const runsAfterUser = runtime?.instructions.slice(lastUser).filter((line) => /^RUN\s/.test(line)) ?? [];
    expect(runsAfterUser).toEqual([]);
  });

  it('ships dist/, agents/ and app.yml, exposes 3000 and starts dist/main.js with node', () => {
    expect(has(runtime, /^COPY --from=build \/app\/dist \.\/dist$/)).toBe(true);
    expect(has(runtime, /^COPY agents \.\/agents$/)).toBe(true);
    expect(has(runtime, /^COPY app\.yml \.\/$/)).toBe(true);
    expect(has(runtime, /^EXPOSE 3000$/)).toBe(true);
    expect(runtime?.instructions.at(-1)).toBe('CMD ["node", "dist/main.js"]');
  });

  it('starts a file the build emits: dist/main.js comes from src/main.ts', () => {
    const config = z
      .object({
        compilerOptions: z.object({ rootDir: z.string(), outDir: z.string() }),
        exclude: z.array(z.string()),
      })
      .parse(JSON.parse(read('tsconfig.build.json')));
    const cmd = runtime?.instructions.at(-1) ?? '';
    const entry = z.tuple([z.literal('node'), z.string()]).parse(JSON.parse(cmd.replace(/^CMD\s+/, '')))[1];

    expect(entry.startsWith(`${config.compilerOptions.outDir}/`)).toBe(true);
    const source = entry
      .replace(config.compilerOptions.outDir, config.compilerOptions.rootDir)
      .replace(/\.js$/, '.ts');
    expect(existsSync(new URL(source, root)), source).toBe(true);
    expect(config.exclude.some((pattern) => source.endsWith(pattern.replace('src/**/*', '')))).toBe(false);
  });

  it('copies only files that exist and that .dockerignore lets into the context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('!'));
    const sources = stages
      .flatMap((stage) => stage.instructions)
      .filter((line) => /^COPY\s/.test(line) && !line.includes('--from='))
      .flatMap((line) => line.split(/\s+/).slice(1, -1));

    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(new URL(source, root)), source).toBe(true);
      expect(ignored, `${source} is in .dockerignore`).not.toContain(source);
    }
  });
});

describe('docker-compose.yml', () => {
  const Compose = z.object({
    services: z.object({
      redis: z.object({
        image: z.string(),
        healthcheck: z.object({ test: z.array(z.string()).min(1) }),
      }),
      bot: z.object({
        build: z.unknown(),
        env_file: z.union([z.string(), z.array(z.string())]),
        environment: z.record(z.string(), z.string()),
        ports: z.array(z.string()),
        depends_on: z.object({ redis: z.object({ condition: z.string() }) }),
      }),
    }),
  });
  const compose = Compose.parse(parse(read('docker-compose.yml')));

  it('runs Redis 7 with a health check', () => {
    expect(compose.services.redis.image).toMatch(/^redis:7\b/);
    expect(compose.services.redis.healthcheck.test).toContain('ping');
  });

  it('starts the bot from .env once Redis is healthy, on the compose Redis and port 3000', () => {
    const { bot } = compose.services;

    expect([bot.env_file].flat()).toContain('.env');
    expect(bot.environment.REDIS_URL).toBe('redis://redis:6379');
    expect(bot.depends_on.redis.condition).toBe('service_healthy');
    expect(bot.ports).toContain('3000:3000');
  });
});

describe('.env.example', () => {
  const shape: Record<string, z.ZodType> = AppEnv.shape;
  /** Variables .env.example may name that the bot's own schema does not read. */
  const READ_ELSEWHERE = ['NODE_ENV'];
  const lines = [...read('.env.example').matchAll(/^(# ?)?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((match) => ({
    commented: match[1] !== undefined,
    name: match[2] ?? '',
    value: (match[3] ?? '').replace(/^"(.*)"$/, '$1'),
  }));
  const names = new Set(lines.map((line) => line.name));

  it('names every variable src/config/env.ts reads', () => {
    const missing = Object.keys(shape).filter((name) => !names.has(name));

    expect(missing, 'add a line (with a comment) to .env.example for each').toEqual([]);
  });

  it('names no variable the bot does not read', () => {
    const unknown = [...names].filter((name) => !(name in shape) && !READ_ELSEWHERE.includes(name));

    expect(unknown).toEqual([]);
  });

  it('leaves only required variables empty and gives valid example values', () => {
    for (const { commented, name, value } of lines) {
      const schema = shape[name];
      if (schema === undefined) continue;
      if (value === '') {
        if (!commented)
          expect(schema.safeParse(undefined).success, `${name} is optional: comment it out`).toBe(false);
        continue;
      }
      expect(schema.safeParse(value).success, `${name}=${value}`).toBe(true);
    }
  });

  it('keeps every required variable uncommented, for the operator to fill in', () => {
    const required = Object.keys(shape).filter((name) => !shape[name]?.safeParse(undefined).success);

    expect(required).toEqual(expect.arrayContaining(['APP_ID', 'PRIVATE_KEY', 'WEBHOOK_SECRET']));
    for (const name of required) {
      expect(
        lines.some((line) => line.name === name && !line.commented),
        name,
      ).toBe(true);
    }
  });
});
