/**
 * The README stays short and every link in it and in docs/ leads somewhere: relative links to
 * files that exist, `#anchors` to a heading of the target page (GitHub's slugs).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anonymousSchema, credentialsSchema } from '../../src/config/access.js';
import { eventsSchema } from '../../src/config/events.js';
import { redisSchema } from '../../src/config/redis.js';
import { SECRET_VARIABLES } from '../../src/config/secret-files.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** README.md and every Markdown file under docs/, repository-relative. */
function pages(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? walk(join(dir, entry.name))
        : entry.name.endsWith('.md')
          ? [join(dir, entry.name)]
          : [],
    );
  return ['README.md', ...walk('docs')];
}

/** The page without fenced code blocks and inline code, where nothing is a link. */
function prose(markdown: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker !== undefined && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      lines.push('');
      continue;
    }
    lines.push(fence === undefined ? line.replace(/`[^`]*`/g, '``') : '');
  }
  return lines;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function githubSlug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a page offers, duplicates numbered as GitHub numbers them. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker !== undefined && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    const heading = fence === undefined ? /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1] : undefined;
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

interface Link {
  page: string;
  line: number;
  target: string;
}

function relativeLinks(page: string): Link[] {
  const links: Link[] = [];
  prose(read(page)).forEach((text, index) => {
    for (const match of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = match[1] ?? '';
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      links.push({ page, line: index + 1, target });
    }
  });
  return links;
}

/** What is wrong with a link, or undefined when it leads somewhere. */
function brokenBecause({ page, target }: Link): string | undefined {
  const hash = target.indexOf('#');
  const path = hash < 0 ? target : target.slice(0, hash);
  const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const file = path === '' ? join(ROOT, page) : resolve(ROOT, dirname(page), decodeURI(path));
  if (relative(ROOT, file).startsWith('..')) return 'leads out of the repository';
  if (!existsSync(file)) return 'no such file';
  if (anchor === undefined) return undefined;
  if (!statSync(file).isFile() || !file.endsWith('.md'))
    return 'an anchor into a non-Markdown file';
  return anchorsOf(readFileSync(file, 'utf8')).has(anchor) ? undefined : 'no such heading';
}

describe('README.md', () => {
  const readme = read('README.md');

  it('is at most 300 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
  });

  it('says how to run it and how to test it', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});

describe('links in README.md and docs/', () => {
  it('finds the pages and their links', () => {
    expect(pages()).toEqual(expect.arrayContaining(['README.md', join('docs', 'access.md')]));
    expect(relativeLinks('README.md').length).toBeGreaterThan(20);
  });

  it.each(pages())(
    '%s: every relative link leads to a file, and every anchor to a heading',
    (page) => {
      const broken = relativeLinks(page).flatMap((link) => {
        const why = brokenBecause(link);
        return why === undefined ? [] : [`${link.page}:${link.line} ${link.target}: ${why}`];
      });
      expect(broken).toEqual([]);
    },
  );

  it('makes anchors as GitHub does', () => {
    expect(githubSlug('Server push (`npm run bench:events`)')).toBe(
      'server-push-npm-run-benchevents',
    );
    expect(githubSlug('Access: who may call what')).toBe('access-who-may-call-what');
    expect(githubSlug('Abuse limits, CSRF and JS-SDK pages')).toBe(
      'abuse-limits-csrf-and-js-sdk-pages',
    );
    expect(githubSlug('6.1 `GET /sns/oauth2/access_token` — exchange code')).toBe(
      '61-get-snsoauth2access_token--exchange-code',
    );
    expect([...anchorsOf('# A\n## B\n```\n# not a heading\n```\n## B\n')]).toEqual([
      'a',
      'b',
      'b-1',
    ]);
  });
});

describe('docs/configuration.md', () => {
  it('has a row for every variable of the exported configuration schemas and every *_FILE', () => {
    const page = read('docs/configuration.md');
    const variables = [
      ...Object.keys(credentialsSchema.shape),
      ...Object.keys(anonymousSchema.shape),
      ...Object.keys(eventsSchema.shape),
      ...Object.keys(redisSchema.shape),
    ];
    expect(variables.filter((name) => !new RegExp(`^\\| \`${name}\``, 'm').test(page))).toEqual([]);
    expect(SECRET_VARIABLES.filter((name) => !page.includes(`\`${name}_FILE\``))).toEqual([]);
  });
});
