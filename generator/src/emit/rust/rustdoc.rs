//! Makes spec Markdown safe as rustdoc: no doctests from indented or unlabelled code, no broken
//! intra-doc links from `[brackets]`, no bare URLs or stray HTML tags.

/// Rewrites spec text for a doc comment. Markdown meaning is kept where rustdoc would agree.
pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut prev = Block::Blank;
    for line in text.lines() {
        let expanded;
        let line = if line.contains('\t') {
            expanded = line.replace('\t', "    ");
            expanded.as_str()
        } else {
            line
        };
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if !in_fence {
                // A fence without a language would be compiled as a Rust doctest.
                let fence = &trimmed[..3];
                let lang = trimmed[3..].trim();
                let lang = if lang.is_empty() || lang == "rust" {
                    "text"
                } else {
                    lang
                };
                out.push(format!("{fence}{lang}"));
            } else {
                out.push(trimmed.to_string());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
            prev = Block::Blank;
            continue;
        }
        // A plain line right after a list item or a quote would be a "lazy continuation" of
        // it, which rustdoc lints; the spec means a new paragraph unless it is indented to the
        // item's text.
        let indent = line.len() - trimmed.len();
        let kind = block_kind(trimmed);
        let continues_list =
            matches!((kind, prev), (Block::Plain, Block::List(col)) if indent >= col);
        if kind == Block::Plain && !continues_list && matches!(prev, Block::List(_) | Block::Quote)
        {
            out.push(String::new());
        }
        // Four spaces of indent make an (untested-language) code block: keep at most three,
        // except where the indent continues a list item.
        let line = match prev {
            // A continuation sits at its item's text column (more would be "overindented").
            Block::List(col) if continues_list => format!("{}{trimmed}", " ".repeat(col)),
            _ if indent >= 4 => format!("   {trimmed}"),
            _ => line.to_string(),
        };
        prev = match kind {
            _ if continues_list => prev,
            Block::List(width) => Block::List(indent + width),
            k => k,
        };
        out.push(escape_inline(&line));
    }
    if in_fence {
        out.push("```".to_string());
    }
    out.join("\n")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Block {
    Blank,
    /// A list item; the column its text starts at (for the item's own line: the marker's width).
    List(usize),
    Quote,
    Plain,
}

fn block_kind(trimmed: &str) -> Block {
    if trimmed.is_empty() {
        return Block::Blank;
    }
    if trimmed.starts_with('>') {
        return Block::Quote;
    }
    if trimmed.starts_with("- ") || trimmed.starts_with("* ") || trimmed.starts_with("+ ") {
        return Block::List(2);
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && (trimmed[digits..].starts_with(". ") || trimmed[digits..].starts_with(") ")) {
        return Block::List(digits + 2);
    }
    Block::Plain
}

/// Escapes brackets that are not Markdown links, angle brackets that are not autolinks, and
/// wraps bare URLs; code spans are left alone.
fn escape_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                // Copy a code span verbatim.
                let run = chars[i..].iter().take_while(|&&x| x == '`').count();
                let close = find_run(&chars, i + run, run);
                let end = close.map_or(i + run, |j| j + run);
                out.extend(&chars[i..end]);
                i = end;
                continue;
            }
            '\\' if i + 1 < chars.len() => {
                out.push(c);
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '[' => {
                if let Some(end) = link_end(&chars, i) {
                    let inner: String = chars[i..end].iter().collect();
                    out.push_str(&inner);
                    i = end;
                    continue;
                }
                out.push_str("\\[");
            }
            ']' => out.push_str("\\]"),
            '<' => {
                let rest: String = chars[i..].iter().collect();
                if let Some(close) = rest.find('>') {
                    let inner = &rest[1..close];
                    if inner.starts_with("http://") || inner.starts_with("https://") {
                        out.push_str(&rest[..=close]);
                        i += rest[..=close].chars().count();
                        continue;
                    }
                }
                out.push_str("&lt;");
            }
            '>' if i > 0 => out.push_str("&gt;"),
            'h' if starts_url(&chars, i)
                && (i == 0 || !matches!(chars[i - 1], '(' | '<' | '"' | '\'')) =>
            {
                let end = chars[i..]
                    .iter()
                    .position(|ch| ch.is_whitespace() || matches!(ch, ')' | '>' | '"' | '\''))
                    .map_or(chars.len(), |p| i + p);
                let mut url: String = chars[i..end].iter().collect();
                // Trailing punctuation ends the sentence, not the URL.
                let mut tail = String::new();
                while url.ends_with(['.', ',', ';', ':']) {
                    tail.insert(0, url.pop().unwrap_or('.'));
                }
                out.push('<');
                out.push_str(&url);
                out.push('>');
                out.push_str(&tail);
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn starts_url(chars: &[char], i: usize) -> bool {
    let rest: String = chars[i..chars.len().min(i + 8)].iter().collect();
    rest.starts_with("http://") || rest.starts_with("https://")
}

fn find_run(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut j = from;
    while j < chars.len() {
        if chars[j] == '`' {
            let n = chars[j..].iter().take_while(|&&x| x == '`').count();
            if n == run {
                return Some(j);
            }
            j += n;
        } else {
            j += 1;
        }
    }
    None
}

/// The end (exclusive) of a Markdown link `[text](url)` starting at `i`, if it is one.
fn link_end(chars: &[char], i: usize) -> Option<usize> {
    let mut depth = 0;
    let mut j = i;
    while j < chars.len() {
        match chars[j] {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        j += 1;
    }
    if j + 1 >= chars.len() || chars[j + 1] != '(' {
        return None;
    }
    let close = chars[j + 1..].iter().position(|&c| c == ')')?;
    Some(j + 1 + close + 1)
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn keeps_links_and_code_escapes_the_rest() {
        assert_eq!(
            sanitize("See [JSON Patch](https://tools.ietf.org/html/rfc6902) and [x] or `a[0] <b>`"),
            "See [JSON Patch](https://tools.ietf.org/html/rfc6902) and \\[x\\] or `a[0] <b>`"
        );
        assert_eq!(
            sanitize("Go to https://example.com."),
            "Go to <https://example.com>."
        );
        assert_eq!(sanitize("a <br> b"), "a &lt;br&gt; b");
    }

    #[test]
    fn lists_and_quotes_end_before_a_plain_line() {
        assert_eq!(sanitize("- a\nnext"), "- a\n\nnext");
        assert_eq!(sanitize("- a\n  more of a"), "- a\n  more of a");
        assert_eq!(sanitize("  - a\n  not of a"), "  - a\n\n  not of a");
        assert_eq!(sanitize("10. a\n    more of a"), "10. a\n    more of a");
        assert_eq!(sanitize("4. a\n        more of a"), "4. a\n   more of a");
        assert_eq!(sanitize("> q\nnext"), "&gt; q\n\nnext".replace("&gt;", ">"));
    }

    #[test]
    fn no_doctests_from_spec_code() {
        assert_eq!(sanitize("```\n{}\n```"), "```text\n{}\n```");
        assert_eq!(sanitize("x\n\n    indented"), "x\n\n   indented");
    }
}
