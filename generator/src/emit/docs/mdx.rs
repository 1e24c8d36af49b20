//! Escaping of spec text for MDX (Docusaurus 3), keeping its Markdown.
//!
//! Spec descriptions are CommonMark: links, lists, emphasis, code spans and fenced code must
//! survive. MDX adds syntax that plain Markdown text trips over: `{…}` is a JavaScript
//! expression, `<…>` is JSX, `:name[…]` is a directive, a paragraph starting with `import `/`export `
//! is an ES module. Outside code spans and fenced code this module escapes those characters with
//! a backslash (`\{`, `\}`, `\<`, `\>`), which renders the character itself; code is copied as
//! written. Text is never HTML-escaped (an apostrophe stays `'`).
//!
//! Two modes:
//! - [`block`]: a description placed as its own Markdown block; line structure is kept.
//! - [`cell`]: text inside one table cell (or one list item line): additionally `|` becomes `\|`
//!   (also inside code spans, as GFM tables require) and newlines become `<br/>`.

/// Escapes Markdown text placed as a block of its own (e.g. an operation's description).
/// Trailing whitespace of the whole text is removed; a fence left open is closed.
pub fn block(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut prose = String::new();
    let mut fence: Option<(char, usize)> = None;
    let mut prev_blank = true;
    for line in text.trim_end().split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        match fence {
            Some((ch, len)) => {
                out.push_str(line);
                out.push('\n');
                if closes_fence(line, ch, len) {
                    fence = None;
                }
            }
            None => {
                if let Some(open) = opens_fence(line) {
                    out.push_str(&escape_prose(&prose, Mode::Block));
                    prose.clear();
                    out.push_str(line);
                    out.push('\n');
                    fence = Some(open);
                } else {
                    if prev_blank {
                        prose.push_str(&guard_paragraph_start(line));
                    } else {
                        prose.push_str(line);
                    }
                    prose.push('\n');
                }
            }
        }
        prev_blank = line.trim().is_empty();
    }
    out.push_str(&escape_prose(&prose, Mode::Block));
    if let Some((ch, len)) = fence {
        out.extend(std::iter::repeat_n(ch, len));
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out
}

/// Escapes Markdown text for one table cell: MDX characters as [`block`], plus `|` as `\|` and
/// line breaks as `<br/>`, so the text cannot break the table. Surrounding whitespace is trimmed.
pub fn cell(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    // Fenced code cannot live in a cell: its lines are kept as text (escaped like prose).
    escape_prose(text, Mode::Cell)
}

/// A code span holding `code` literally (for a table cell when `in_cell`): the backtick run is
/// longer than any run inside, and `|` is escaped in cells.
pub fn code_span(code: &str, in_cell: bool) -> String {
    let ticks = "`".repeat(longest_run(code, '`') + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    let code = code.replace(['\n', '\r'], " ");
    let code = if in_cell {
        code.replace('|', "\\|")
    } else {
        code
    };
    format!("{ticks}{pad}{code}{pad}{ticks}")
}

/// The backtick fence for a code block holding `code`: at least three, longer than any run of
/// backticks inside.
pub fn fence_for(code: &str) -> String {
    "`".repeat((longest_run(code, '`') + 1).max(3))
}

/// Escapes plain text (not Markdown) to show it literally in a cell: Markdown punctuation is
/// backslash-escaped too, e.g. a type name with `<` or `*`.
pub fn literal(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '{' | '}' | '|' => {
                out.push('\\');
                out.push(c);
            }
            // `_` inside a word never starts emphasis.
            '_' if !(i > 0
                && chars[i - 1].is_alphanumeric()
                && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())) =>
            {
                out.push_str("\\_");
            }
            '#' if i == 0 => out.push_str("\\#"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// The first sentence of a Markdown text (up to the first `.`, `!` or `?` followed by white
/// space, or the end of the first paragraph), on one line; code spans and link text are not cut.
/// The result is Markdown, not yet escaped.
pub fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let chars: Vec<char> = text.chars().collect();
    let mut end = chars.len();
    let mut i = 0;
    let mut depth = 0usize; // inside [...] or (...)
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => i += 1,
            '`' => {
                let run = run_len(&chars, i, '`');
                if let Some(close) = find_closing_run(&chars, i + run, run) {
                    i = close + run;
                    continue;
                }
                i += run;
                continue;
            }
            '[' | '(' => depth += 1,
            ']' | ')' => depth = depth.saturating_sub(1),
            '\n' => {
                // A blank line ends the paragraph.
                let rest: String = chars[i + 1..].iter().take_while(|c| **c != '\n').collect();
                if rest.trim().is_empty() {
                    end = i;
                    break;
                }
            }
            '.' | '!' | '?' if depth == 0 && chars.get(i + 1).is_none_or(|n| n.is_whitespace()) => {
                end = i + 1;
                break;
            }
            _ => {}
        }
        i += 1;
    }
    let sentence: String = chars[..end.min(chars.len())].iter().collect();
    sentence.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The id Docusaurus gives a heading (github-slugger 1.x): lower case, punctuation other than
/// `-` and `_` removed, spaces as `-`.
pub fn heading_slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// A value for YAML front matter: plain when YAML reads it back as the same string, otherwise
/// single-quoted.
pub fn yaml_scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || " _-./".contains(c))
        && !s.starts_with([' ', '-', '.'])
        && !s.ends_with(' ')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~"
        )
        && s.parse::<f64>().is_err();
    if plain {
        s.to_string()
    } else {
        yaml_quoted(s)
    }
}

/// A single-quoted YAML string (for flow lists: `['a', 'b']`).
pub fn yaml_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''").replace('\n', " "))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Block,
    Cell,
}

fn opens_fence(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start();
    let ch = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = t.chars().take_while(|c| *c == ch).count();
    // An info string after backticks may not contain a backtick.
    (len >= 3 && !(ch == '`' && t[len..].contains('`'))).then_some((ch, len))
}

fn closes_fence(line: &str, ch: char, len: usize) -> bool {
    let t = line.trim();
    t.len() >= len && t.chars().all(|c| c == ch)
}

/// A paragraph that starts with `import ` or `export ` would be read as an ES module by MDX:
/// its first letter is written as a character reference, which renders the same letter.
fn guard_paragraph_start(line: &str) -> String {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    for word in ["import", "export"] {
        if let Some(rest) = trimmed.strip_prefix(word) {
            if rest.starts_with([' ', '\t']) || rest.is_empty() {
                let first = word.as_bytes()[0];
                return format!("{indent}&#{};{}{rest}", first, &word[1..]);
            }
        }
    }
    line.to_string()
}

/// Escapes prose (no fenced code) keeping code spans as written.
fn escape_prose(text: &str, mode: Mode) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    let mut at_line_start = true;
    while i < chars.len() {
        let c = chars[i];
        let line_start = at_line_start;
        at_line_start = false;
        match c {
            '\\' => match chars.get(i + 1) {
                // An escape already: keep it (in cells, `\|` stays an escaped pipe).
                Some(&n) if n.is_ascii_punctuation() => {
                    out.push('\\');
                    out.push(n);
                    i += 2;
                    continue;
                }
                // A hard line break: in a cell, the break itself.
                Some('\n') if mode == Mode::Cell => {
                    i += 1;
                    continue;
                }
                _ => out.push('\\'),
            },
            '`' => {
                let run = run_len(&chars, i, '`');
                match find_closing_run(&chars, i + run, run) {
                    Some(close) => {
                        let span: String = chars[i..close + run].iter().collect();
                        if mode == Mode::Cell {
                            out.push_str(&span.replace(['\n', '\r'], " ").replace('|', "\\|"));
                        } else {
                            out.push_str(&span);
                        }
                        i = close + run;
                        continue;
                    }
                    None => {
                        // Literal backticks.
                        out.extend(std::iter::repeat_n('`', run));
                        i += run;
                        continue;
                    }
                }
            }
            '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '<' => {
                if let Some((replacement, len)) = angle_construct(&chars[i..]) {
                    out.push_str(&replacement);
                    i += len;
                    continue;
                }
                out.push_str("\\<");
            }
            '>' => {
                // A block quote marker at the start of a line stays one.
                if mode == Mode::Block && (line_start || only_quote_markers_before(&out)) {
                    out.push('>');
                } else {
                    out.push_str("\\>");
                }
            }
            '|' if mode == Mode::Cell => out.push_str("\\|"),
            ':' => {
                if directive_like(&chars, i) {
                    out.push('\\');
                }
                out.push(':');
            }
            '\r' => {}
            '\n' => {
                if mode == Mode::Cell {
                    // Trailing spaces before the break add nothing.
                    out.truncate(out.trim_end_matches([' ', '\t']).len());
                    out.push_str("<br/>");
                    // Skip the next line's indentation.
                    while chars.get(i + 1).is_some_and(|n| *n == ' ' || *n == '\t') {
                        i += 1;
                    }
                } else {
                    out.push('\n');
                    at_line_start = true;
                }
            }
            ' ' | '\t' if line_start => {
                out.push(c);
                at_line_start = true;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// After a line start, only spaces and `>` written so far on this line (nested quote markers).
fn only_quote_markers_before(out: &str) -> bool {
    let line = out.rsplit('\n').next().unwrap_or(out);
    !line.is_empty() && line.chars().all(|c| c == ' ' || c == '>')
}

/// `<https://…>` autolinks (MDX has none) become links; `<br>` line breaks become JSX `<br/>`.
/// Returns the replacement and the number of chars consumed.
fn angle_construct(chars: &[char]) -> Option<(String, usize)> {
    let close = chars.iter().position(|c| *c == '>')?;
    let inner: String = chars[1..close].iter().collect();
    let lower = inner.to_ascii_lowercase();
    if matches!(lower.as_str(), "br" | "br/" | "br /") {
        return Some(("<br/>".to_string(), close + 1));
    }
    let is_url = ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s))
        && !inner
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '{' || c == '}');
    if is_url {
        let text = literal(&inner);
        return Some((format!("[{text}]({inner})"), close + 1));
    }
    None
}

/// `:name[` or `:name{` (a text directive with a label or attributes), or `::`/`:::` opening a
/// line (leaf and container directives): the colon must be escaped.
fn directive_like(chars: &[char], i: usize) -> bool {
    let line_start = chars[..i]
        .iter()
        .rev()
        .take_while(|c| **c != '\n')
        .all(|c| c.is_whitespace());
    if line_start && chars.get(i + 1) == Some(&':') {
        return true;
    }
    if chars.get(i + 1).is_none_or(|c| !c.is_ascii_alphabetic()) {
        return false;
    }
    let mut j = i + 1;
    while chars
        .get(j)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
    {
        j += 1;
    }
    matches!(chars.get(j), Some('[') | Some('{'))
}

fn run_len(chars: &[char], i: usize, ch: char) -> usize {
    chars[i..].iter().take_while(|c| **c == ch).count()
}

/// The start of the next backtick run of exactly `len`, from `from`.
fn find_closing_run(chars: &[char], from: usize, len: usize) -> Option<usize> {
    let mut j = from;
    while j < chars.len() {
        if chars[j] == '`' {
            let run = run_len(chars, j, '`');
            if run == len {
                return Some(j);
            }
            j += run;
        } else {
            j += 1;
        }
    }
    None
}

fn longest_run(s: &str, ch: char) -> usize {
    let mut best = 0;
    let mut cur = 0;
    for c in s.chars() {
        if c == ch {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_and_angles_in_prose_are_escaped() {
        assert_eq!(
            block("Get /auth-users/{id} now"),
            "Get /auth-users/\\{id\\} now"
        );
        assert_eq!(block("a < b and c > d"), "a \\< b and c \\> d");
        assert_eq!(cell("Map<String, {x}>"), "Map\\<String, \\{x\\}\\>");
    }

    #[test]
    fn code_spans_are_kept_as_written() {
        assert_eq!(
            block("Use `/auth-users/{id}` or `a<b>`"),
            "Use `/auth-users/{id}` or `a<b>`"
        );
        assert_eq!(block("``a ` {b}`` and {c}"), "``a ` {b}`` and \\{c\\}");
        // An unmatched backtick is literal, and what follows is still escaped.
        assert_eq!(block("a ` {b}"), "a ` \\{b\\}");
    }

    #[test]
    fn fenced_code_is_kept_and_closed() {
        let text = "Example:\n```json\n{\"a\": \"<b>\"}\n```\nafter {x}";
        assert_eq!(
            block(text),
            "Example:\n```json\n{\"a\": \"<b>\"}\n```\nafter \\{x\\}"
        );
        let open = "Example:\n~~~\n{a}";
        assert_eq!(block(open), "Example:\n~~~\n{a}\n~~~");
    }

    #[test]
    fn apostrophes_and_markdown_survive() {
        let text = "The user's [JSON Patch](https://tools.ietf.org/html/rfc6902) **bold**\n  * `capabilities`";
        assert_eq!(block(text), text);
    }

    #[test]
    fn cells_escape_pipes_and_newlines() {
        assert_eq!(cell("a | b\nc  \n  d"), "a \\| b<br/>c<br/>d");
        assert_eq!(cell("`x|y`"), "`x\\|y`");
        assert_eq!(cell("already \\| escaped"), "already \\| escaped");
        assert_eq!(cell("  padded  "), "padded");
    }

    #[test]
    fn block_quotes_stay_and_other_angles_are_escaped() {
        assert_eq!(
            block("> quoted {x}\n>> nested\na -> b"),
            "> quoted \\{x\\}\n>> nested\na -\\> b"
        );
    }

    #[test]
    fn autolinks_and_line_breaks_become_mdx() {
        assert_eq!(
            block("See <https://example.com/a_b>."),
            "See [https://example.com/a_b](https://example.com/a_b)."
        );
        assert_eq!(block("one<br>two<BR/>three"), "one<br/>two<br/>three");
        assert_eq!(block("<strong>x</strong>"), "\\<strong\\>x\\</strong\\>");
    }

    #[test]
    fn existing_escapes_are_not_doubled() {
        assert_eq!(
            block("\\{literal\\} and \\* and C:\\dir"),
            "\\{literal\\} and \\* and C:\\dir"
        );
    }

    #[test]
    fn directives_are_defused() {
        assert_eq!(block("scope sp:scopes:all"), "scope sp:scopes:all");
        assert_eq!(block("type:string[] here"), "type\\:string[] here");
        assert_eq!(block(":::note\nx"), "\\:::note\nx");
    }

    #[test]
    fn module_syntax_at_paragraph_start_is_defused() {
        assert_eq!(block("import the file"), "&#105;mport the file");
        assert_eq!(block("The\nexport options"), "The\nexport options");
        assert_eq!(block("a\n\nexport options"), "a\n\n&#101;xport options");
    }

    #[test]
    fn code_spans_and_fences_are_long_enough() {
        assert_eq!(code_span("/a/{id}", false), "`/a/{id}`");
        assert_eq!(code_span("a`b", true), "``a`b``");
        assert_eq!(code_span("`a|b", true), "`` `a\\|b ``");
        assert_eq!(fence_for("let x = 1;"), "```");
        assert_eq!(fence_for("/// ```\n"), "````");
    }

    #[test]
    fn literal_text_is_fully_escaped() {
        assert_eq!(literal("Vec<Option<i64>>"), "Vec\\<Option\\<i64\\>\\>");
        assert_eq!(literal("a_b*c _d"), "a_b\\*c \\_d");
    }

    #[test]
    fn first_sentences() {
        assert_eq!(first_sentence("Use this API. Then more."), "Use this API.");
        assert_eq!(first_sentence("Use `a. b` here. More"), "Use `a. b` here.");
        assert_eq!(
            first_sentence("See [v. 2](http://x/a. b) now.\nMore."),
            "See [v. 2](http://x/a. b) now."
        );
        assert_eq!(
            first_sentence("First line \nsecond line\n\nNext paragraph."),
            "First line second line"
        );
        assert_eq!(first_sentence("Version 1.2 is out"), "Version 1.2 is out");
    }

    #[test]
    fn slugs_follow_github_slugger() {
        assert_eq!(heading_slug("get-auth-user"), "get-auth-user");
        assert_eq!(
            heading_slug("sailpoint::v2024::AuthUsersApi"),
            "sailpointv2024authusersapi"
        );
        assert_eq!(heading_slug("HTTP request headers"), "http-request-headers");
    }

    #[test]
    fn yaml_values() {
        assert_eq!(yaml_scalar("Auth_Users"), "Auth_Users");
        assert_eq!(
            yaml_scalar("/tools/sdk/rust/v2024/methods/auth-users"),
            "/tools/sdk/rust/v2024/methods/auth-users"
        );
        assert_eq!(yaml_scalar("a: b"), "'a: b'");
        assert_eq!(yaml_scalar("true"), "'true'");
        assert_eq!(yaml_quoted("it's"), "'it''s'");
    }
}
