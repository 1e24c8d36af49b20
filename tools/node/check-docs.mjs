#!/usr/bin/env node
// Docs checker: compiles and renders every *.md page under a directory the
// way Docusaurus 3 does (MDX format), then checks front matter, relative
// links and anchors.
//
// Usage: node tools/node/check-docs.mjs [--ignore-prefix /path/]... <docs-dir>
//
// Output: one line per problem, `FILE: message`, then
// `docs-check: N pages, M errors`. Exit 0 when clean, 1 on any error, 2 on
// bad usage.
//
// What "as Docusaurus 3 would" means here (mirrors @docusaurus/mdx-loader):
//   - front matter is split off; the body is preprocessed like Docusaurus
//     (`## Title {#id}` heading ids are escaped, `:::note Title` becomes
//     `:::note[Title]`);
//   - remark plugins: remark-directive, admonitions (`:::note` … `:::`),
//     heading ids (github-slugger 1.x, as @docusaurus/utils), remark-gfm,
//     HTML comments (@slorber/remark-comment), unused-directive handling;
//   - compiled with format 'mdx' and evaluated (== @mdx-js/mdx `evaluate`
//     with react/jsx-runtime, development: false) then rendered with
//     react-dom/server renderToString, so `{id}` in prose fails with
//     `ReferenceError: id is not defined` just like the real site build.
//
// Links: every href in the rendered HTML without a URL scheme is resolved
// against the page URL (its front matter slug) like a browser does, and must
// hit the slug of a page in the directory; a `#fragment` must match an id in
// the target page (heading ids, or any element id / <a name>). `#` alone is
// fine. Links ending in `.md` are resolved as files (Docusaurus does that).

import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import process from 'node:process';
import {Worker, isMainThread, parentPort, workerData} from 'node:worker_threads';
import {createProcessor, run} from '@mdx-js/mdx';
import YAML from 'yaml';
import remarkGfm from 'remark-gfm';
import remarkDirective from 'remark-directive';
import remarkComment from '@slorber/remark-comment';
import {visit} from 'unist-util-visit';
import {toString as mdastToString} from 'mdast-util-to-string';
import GithubSlugger from 'github-slugger';

// React's production build, as in a Docusaurus site build (and ~2x faster than
// the development build). The env var must be set before React is loaded.
process.env.NODE_ENV ??= 'production';
const runtime = await import('react/jsx-runtime');
const {default: React} = await import('react');
const {renderToString} = await import('react-dom/server');

// ---------------------------------------------------------------- options

function usage(msg) {
  if (msg) process.stderr.write(`check-docs: ${msg}\n`);
  process.stderr.write(
    'usage: node check-docs.mjs [--ignore-prefix /abs/path/]... <docs-dir>\n' +
      '  CHECK_DOCS_JOBS=N   worker threads for compiling (default: CPU count, max 4)\n' +
      '  CHECK_DOCS_DUMP=1   print the rendered HTML of each page to stderr\n',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const ignorePrefixes = [];
  let docsDir = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--ignore-prefix') {
      if (i + 1 >= argv.length) usage('--ignore-prefix needs a value');
      ignorePrefixes.push(argv[++i]);
    } else if (a === '-h' || a === '--help') {
      usage();
    } else if (a.startsWith('-')) {
      usage(`unknown option ${a}`);
    } else if (docsDir === null) {
      docsDir = a;
    } else {
      usage('only one docs dir is accepted');
    }
  }
  if (docsDir === null) usage('missing <docs-dir>');
  if (!fs.existsSync(docsDir) || !fs.statSync(docsDir).isDirectory()) {
    usage(`not a directory: ${docsDir}`);
  }
  return {docsDir, ignorePrefixes};
}

// ------------------------------------------------------- Docusaurus pieces

const ADMONITION_KEYWORDS = [
  'secondary',
  'info',
  'success',
  'danger',
  'note',
  'tip',
  'warning',
  'important',
  'caution',
];

// @docusaurus/utils escapeMarkdownHeadingIds (mdx1Compat.headingIds)
function escapeMarkdownHeadingIds(content) {
  return content.replaceAll(/(?:^|\n)#{1,6}(?!#).*/g, (s) =>
    s.replace('{#', '\\{#').replace('\\\\{#', '\\{#'),
  );
}

// @docusaurus/utils admonitionTitleToDirectiveLabel (mdx1Compat.admonitions)
function admonitionTitleToDirectiveLabel(content) {
  const re = new RegExp(
    `^(?<indent>( +|\\t+))?(?<fence>:{3,})(?<keyword>${ADMONITION_KEYWORDS.join(
      '|',
    )}) +(?<title>.*)$`,
    'gm',
  );
  return content.replaceAll(re, (...args) => {
    const {indent = '', fence, keyword, title} = args.at(-1);
    return `${indent}${fence}${keyword}[${title.trim()}]`;
  });
}

// @docusaurus/utils parseMarkdownHeadingId
function parseMarkdownHeadingId(heading) {
  const m = /\s*\{#(?<id>(?:.(?!\{#|\}))*.)\}$/.exec(heading);
  if (m) return {text: heading.replace(m[0], ''), id: m.groups.id};
  return {text: heading, id: undefined};
}

// @docusaurus/mdx-loader remark/headings
function remarkHeadings() {
  return (root) => {
    const slugger = new GithubSlugger();
    visit(root, 'heading', (node) => {
      const data = node.data ?? (node.data = {});
      const props = data.hProperties ?? (data.hProperties = {});
      let {id} = props;
      if (id) {
        id = slugger.slug(id, true);
      } else {
        const textNodes = node.children.filter(
          ({type}) => !['html', 'jsx'].includes(type),
        );
        const heading = mdastToString(textNodes.length > 0 ? textNodes : node);
        const parsed = parseMarkdownHeadingId(heading);
        id = parsed.id ?? slugger.slug(heading);
        if (parsed.id) {
          const last = node.children[node.children.length - 1];
          if (node.children.length > 1) {
            const lastText = parseMarkdownHeadingId(last.value).text;
            if (lastText) last.value = lastText;
            else node.children.pop();
          } else {
            last.value = parsed.text;
          }
        }
      }
      data.id = id;
      props.id = id;
    });
  };
}

// @docusaurus/mdx-loader remark/admonitions
function remarkAdmonitions() {
  return (root) => {
    visit(root, (node) => {
      if (node.type !== 'containerDirective') return;
      if (!ADMONITION_KEYWORDS.includes(node.name)) return;
      const hasLabel = node.children?.[0]?.data?.directiveLabel === true;
      const label = hasLabel ? node.children[0] : undefined;
      const content = hasLabel ? node.children.slice(1) : node.children;
      const textTitle =
        node.attributes?.title ??
        (label?.children?.length === 1 && label.children[0].type === 'text'
          ? label.children[0].value
          : undefined);
      node.data = {
        hName: 'admonition',
        hProperties: {...(textTitle && {title: textTitle}), type: node.name},
      };
      node.children = content;
      if (label && !textTitle) {
        node.children.unshift({
          type: 'mdxAdmonitionTitle',
          data: {hName: 'mdxAdmonitionTitle', hProperties: {}},
          children: label.children,
        });
      }
    });
  };
}

// @docusaurus/mdx-loader remark/unusedDirectives: simple text directives
// (`:name`) turn back into text; others are reported (Docusaurus warns that
// the page "might render in an unexpected way"; for generated docs that is a
// bug, so it is an error here).
const DIRECTIVE_PREFIX = {
  textDirective: ':',
  leafDirective: '::',
  containerDirective: ':::',
};
function remarkUnusedDirectives() {
  return (root, file) => {
    const unused = [];
    visit(root, Object.keys(DIRECTIVE_PREFIX), (node, index, parent) => {
      if (node.data) return;
      const simple =
        node.type === 'textDirective' &&
        !(node.attributes && Object.keys(node.attributes).length > 0) &&
        node.children.length === 0;
      if (simple) {
        parent.children[index] = {
          type: 'text',
          value: `:${node.name}`,
          position: node.position,
        };
      } else {
        unused.push(node);
      }
    });
    file.data.unusedDirectives = unused.map(
      (n) => `${DIRECTIVE_PREFIX[n.type]}${n.name}${pos(n)}`,
    );
  };
}

// Not Docusaurus: remember where MDX expressions are, to point at them when
// rendering fails (render errors carry no position).
function remarkCollectExpressions() {
  return (root, file) => {
    const found = [];
    visit(root, ['mdxTextExpression', 'mdxFlowExpression'], (node) => {
      const v = node.value.trim();
      if (/^\/\*[\s\S]*\*\/$/.test(v)) return; // {/* comment */}
      found.push(`{${v.length > 40 ? v.slice(0, 37) + '...' : v}}${pos(node)}`);
    });
    file.data.expressions = found;
  };
}

function pos(node) {
  const s = node.position?.start;
  return s ? ` at ${s.line}:${s.column}` : '';
}

// Same processor for every page (creating one per page is the slow part of
// `evaluate`); compile options are those `evaluate` uses.
const processor = createProcessor({
  format: 'mdx',
  outputFormat: 'function-body',
  development: false,
  remarkPlugins: [
    remarkDirective,
    remarkAdmonitions,
    remarkHeadings,
    remarkGfm,
    remarkComment,
    remarkUnusedDirectives,
    remarkCollectExpressions,
  ],
});

// Stand-ins for the global MDX components of @docusaurus/theme-classic.
function Admonition({type, title, children}) {
  return React.createElement(
    'div',
    {className: `admonition admonition-${type}`},
    title ? React.createElement('div', {className: 'admonition-title'}, title) : null,
    children,
  );
}
const components = {
  admonition: Admonition,
  Admonition,
  mdxAdmonitionTitle: ({children}) =>
    React.createElement('div', {className: 'admonition-title'}, children),
  Details: (props) => React.createElement('details', props),
  Head: () => null,
  mermaid: ({value}) => React.createElement('pre', {className: 'mermaid'}, value),
};

// ------------------------------------------------------------------ helpers

function listMarkdown(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, {withFileTypes: true})) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.md')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

const FRONT_MATTER = /^---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n|$)/;

const ENTITIES = {amp: '&', quot: '"', lt: '<', gt: '>', apos: "'", nbsp: '\u00a0'};
function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return String.fromCodePoint(n);
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// Normalized route for comparing: decoded, no trailing slash (except "/").
function normRoute(p) {
  let r = safeDecode(p);
  if (r.length > 1 && r.endsWith('/')) r = r.replace(/\/+$/, '');
  return r || '/';
}

const ORIGIN = 'http://docs.invalid';
const HAS_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

// ------------------------------------------------------------ one page

// Front matter, compile, render, collect ids and hrefs of one page.
// Returns a plain (structured-clonable) record.
async function checkPage(file, rel) {
  const page = {
    file,
    rel,
    route: null,
    docId: null,
    ids: [],
    links: [],
    // false when the page failed to compile/render: its ids are unknown, so
    // anchors into it are not reported (the page itself already is).
    rendered: false,
    problems: [],
  };
  const report = (msg) => page.problems.push(msg);

  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    report(`cannot read: ${e.message}`);
    return page;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  // Front matter.
  const fm = FRONT_MATTER.exec(text);
  let body;
  if (!fm) {
    report('missing front matter (file must start with a `---` line and a closing `---`)');
    body = text;
  } else {
    // Keep line numbers of the body equal to those of the file.
    body = fm[0].replace(/[^\n]/g, '') + text.slice(fm[0].length);
    let data;
    try {
      const doc = YAML.parseDocument(fm[1] ?? '', {prettyErrors: true, uniqueKeys: true});
      if (doc.errors.length > 0) throw doc.errors[0];
      data = doc.toJS();
    } catch (e) {
      // Front matter line 1 is file line 2.
      const where = e.linePos?.[0] ? ` at ${e.linePos[0].line + 1}:${e.linePos[0].col}` : '';
      const msg = String(e.message)
        .split('\n')[0]
        .replace(/ at line \d+, column \d+:?$/, '')
        .replace(/[: ]+$/, '');
      report(`invalid YAML front matter${where}: ${msg}`);
      data = undefined;
    }
    if (data !== undefined) {
      if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        report('front matter is not a YAML mapping');
      } else {
        for (const key of ['id', 'title', 'slug']) {
          const v = data[key];
          if (v === undefined || v === null) {
            report(`front matter lacks \`${key}\``);
          } else if (typeof v !== 'string' || v.trim() === '') {
            report(`front matter \`${key}\` must be a non-empty string`);
          }
        }
        if (typeof data.id === 'string' && data.id.includes('/')) {
          report(`front matter \`id\` must not contain "/" (Docusaurus rejects it): ${data.id}`);
        }
        if (typeof data.id === 'string') {
          page.docId = `${path.posix.dirname(rel)}/${data.id}`;
        }
        if (typeof data.slug === 'string' && data.slug.trim() !== '') {
          // Docusaurus: absolute slugs are taken as is, relative ones are
          // relative to the doc's folder.
          const dirRel = path.posix.dirname(rel);
          const raw = data.slug.startsWith('/')
            ? data.slug
            : `/${dirRel === '.' ? '' : dirRel + '/'}${data.slug}`;
          page.route = normRoute(new URL(raw, ORIGIN).pathname);
        }
      }
    }
  }

  // Compile + render like Docusaurus.
  let vfile;
  try {
    body = admonitionTitleToDirectiveLabel(escapeMarkdownHeadingIds(body));
    vfile = await processor.process({value: body, path: file});
  } catch (e) {
    const start = e.place?.start ?? e.place ?? (e.line ? e : undefined);
    const where = start?.line ? ` at ${start.line}:${start.column}` : '';
    const reason = e.reason ?? e.message;
    report(`MDX compile error${where}: ${String(reason).split('\n')[0]}`);
    return page;
  }
  for (const d of vfile.data.unusedDirectives ?? []) {
    report(`unused Markdown directive ${d} (Docusaurus renders it unexpectedly; escape the colon)`);
  }
  let html;
  try {
    const {default: MDXContent} = await run(String(vfile), {...runtime, baseUrl: import.meta.url});
    html = renderToString(React.createElement(MDXContent, {components}));
  } catch (e) {
    const exprs = vfile.data.expressions ?? [];
    const hint =
      exprs.length > 0
        ? ` (MDX expressions in page: ${exprs.slice(0, 5).join(', ')}${exprs.length > 5 ? ', ...' : ''})`
        : '';
    report(`MDX render error: ${e?.name ?? 'Error'}: ${e?.message ?? e}${hint}`);
    return page;
  }
  page.rendered = true;
  if (process.env.CHECK_DOCS_DUMP) process.stderr.write(`--- ${file}\n${html}\n`);

  const ids = new Set();
  const links = new Set();
  for (const m of html.matchAll(/<([a-zA-Z][\w:-]*)\b([^>]*)>/g)) {
    for (const a of m[2].matchAll(/\s(id|name|href)="([^"]*)"/g)) {
      const value = decodeEntities(a[2]);
      if (a[1] === 'id') ids.add(value);
      else if (a[1] === 'name' && m[1].toLowerCase() === 'a') ids.add(value);
      else if (a[1] === 'href') links.add(value);
    }
  }
  page.ids = [...ids];
  page.links = [...links];
  return page;
}

// ------------------------------------------------------------------ workers

if (!isMainThread) {
  const out = [];
  for (const {file, rel} of workerData.jobs) out.push(await checkPage(file, rel));
  parentPort.postMessage(out);
} else {
  await main();
}

async function checkAll(jobs) {
  const requested = Number.parseInt(process.env.CHECK_DOCS_JOBS ?? '', 10);
  const cpus = os.availableParallelism?.() ?? os.cpus().length;
  let n = Number.isFinite(requested) && requested > 0 ? requested : Math.min(cpus, 4);
  // A worker costs ~0.2 s to start; not worth it for a few pages.
  n = Math.max(1, Math.min(n, Math.floor(jobs.length / 40)));
  if (n <= 1) {
    const out = [];
    for (const j of jobs) out.push(await checkPage(j.file, j.rel));
    return out;
  }
  const chunks = Array.from({length: n}, () => []);
  jobs.forEach((j, i) => chunks[i % n].push({...j, index: i}));
  const results = await Promise.all(
    chunks.map(
      (chunk) =>
        new Promise((resolve, reject) => {
          const w = new Worker(new URL(import.meta.url), {workerData: {jobs: chunk}});
          let got = null;
          w.once('message', (m) => (got = m));
          w.once('error', reject);
          w.once('exit', (code) =>
            got ? resolve(got.map((p, k) => ({...p, index: chunk[k].index}))) : reject(new Error(`worker exited with ${code}`)),
          );
        }),
    ),
  );
  return results.flat().sort((a, b) => a.index - b.index);
}

// --------------------------------------------------------------------- main

async function main() {
  const {docsDir, ignorePrefixes} = parseArgs(process.argv.slice(2));
  const started = process.hrtime.bigint();
  const files = listMarkdown(docsDir);
  const pages = await checkAll(
    files.map((file) => ({file, rel: path.relative(docsDir, file).split(path.sep).join('/')})),
  );

  let errorCount = 0;
  const report = (page, msg) => {
    page.problems.push(msg);
  };
  for (const p of pages) p.ids = new Set(p.ids);

  // Route table, duplicates.
  const byRoute = new Map();
  const byFileRel = new Map();
  const byDocId = new Map();
  for (const p of pages) {
    byFileRel.set(p.rel, p);
    if (p.route !== null) {
      const other = byRoute.get(p.route);
      if (other) report(p, `duplicate slug ${p.route} (also used by ${other.file})`);
      else byRoute.set(p.route, p);
    }
    if (p.docId) {
      const other = byDocId.get(p.docId);
      if (other) report(p, `duplicate doc id ${p.docId} (also used by ${other.file})`);
      else byDocId.set(p.docId, p);
    }
  }

  // Links.
  for (const p of pages) {
    for (const link of p.links) {
      const trimmed = link.trim();
      if (trimmed === '') {
        report(p, 'empty link target');
        continue;
      }
      if (HAS_SCHEME.test(trimmed) || trimmed.startsWith('//')) continue; // http(s), mailto, ...
      if (trimmed === '#') continue;

      const hashAt = trimmed.indexOf('#');
      const fragment = hashAt >= 0 ? safeDecode(trimmed.slice(hashAt + 1)) : '';
      const beforeHash = hashAt >= 0 ? trimmed.slice(0, hashAt) : trimmed;
      const pathPart = beforeHash.split('?')[0];

      let target;
      let shown;
      if (pathPart === '') {
        // Same-page anchor.
        target = p;
        shown = 'this page';
      } else if (/\.mdx?$/.test(pathPart)) {
        // Docusaurus resolves links to .md files as file paths.
        const base = pathPart.startsWith('/') ? '' : path.posix.dirname(p.rel);
        const rel = path.posix
          .normalize(path.posix.join(base, safeDecode(pathPart)))
          .replace(/^\/+/, '');
        target = byFileRel.get(rel);
        shown = `${rel} (${target?.file})`;
        if (!target) {
          report(p, `broken link ${link}: no file ${rel} in ${docsDir}`);
          continue;
        }
      } else {
        if (p.route === null) {
          report(p, `cannot check link ${link}: page has no valid slug`);
          continue;
        }
        const resolved = normRoute(new URL(pathPart, ORIGIN + p.route).pathname);
        if (ignorePrefixes.some((pre) => resolved.startsWith(pre))) continue;
        target = byRoute.get(resolved);
        shown = `${resolved} (${target?.file})`;
        if (!target) {
          report(p, `broken link ${link}: resolves to ${resolved}, which is not the slug of any page`);
          continue;
        }
      }
      if (fragment !== '' && target.rendered && !target.ids.has(fragment)) {
        report(p, `broken anchor ${link}: no heading or element with id "${fragment}" on ${shown}`);
      }
    }
  }

  const out = [];
  for (const p of pages) {
    for (const msg of p.problems) {
      out.push(`${p.file}: ${msg}`);
      errorCount++;
    }
  }
  if (files.length === 0) {
    out.push(`${docsDir}: no *.md files found`);
    errorCount++;
  }
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  out.push(`docs-check: ${files.length} pages, ${errorCount} errors`);
  process.stdout.write(out.join('\n') + '\n');
  process.stderr.write(`docs-check: took ${(elapsedMs / 1000).toFixed(2)}s\n`);
  process.exitCode = errorCount > 0 ? 1 : 0;
}
