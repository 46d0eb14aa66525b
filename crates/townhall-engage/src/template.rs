//! Saved replies with placeholders such as `{author}`, so agents answer common questions quickly
//! and consistently. `{{` and `}}` stand for literal braces. Positions in errors count characters
//! from 0, as people see them in the editor.

use serde::Serialize;

/// The placeholders the inbox fills in, with a description for the template editor.
pub const KNOWN_PLACEHOLDERS: &[(&str, &str)] = &[
    ("author", "the person who asked, e.g. @sam"),
    ("agent", "your display name"),
    ("team", "the case's team"),
    ("case", "the case number"),
    ("date", "today's date"),
];

/// A template, read: literal text and placeholder names in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Segment {
    Text(String),
    Placeholder(String),
}

/// Reads `template` into its segments.
pub fn parse(template: &str) -> Result<Vec<Segment>, TemplateError> {
    let mut segments = Vec::new();
    let mut text = String::new();
    let mut chars = template.chars().enumerate().peekable();
    while let Some((position, c)) = chars.next() {
        match c {
            '{' if chars.next_if(|(_, next)| *next == '{').is_some() => text.push('{'),
            '}' if chars.next_if(|(_, next)| *next == '}').is_some() => text.push('}'),
            '}' => return Err(TemplateError::StrayClosingBrace { position }),
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some((_, '}')) => break,
                        Some((_, '{')) | None => return Err(TemplateError::Unclosed { position }),
                        Some((_, inner)) => name.push(inner),
                    }
                }
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    return Err(TemplateError::BadName { position, name });
                }
                if !text.is_empty() {
                    segments.push(Segment::Text(std::mem::take(&mut text)));
                }
                segments.push(Segment::Placeholder(name));
            }
            other => text.push(other),
        }
    }
    if !text.is_empty() {
        segments.push(Segment::Text(text));
    }
    Ok(segments)
}

/// The placeholder names of `template`, in order of first use, each once.
pub fn placeholders(template: &str) -> Result<Vec<String>, TemplateError> {
    let mut names: Vec<String> = Vec::new();
    for segment in parse(template)? {
        if let Segment::Placeholder(name) = segment {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    Ok(names)
}

/// Checks that `template` only uses [`KNOWN_PLACEHOLDERS`], so a saved reply cannot fail later.
pub fn check_known(template: &str) -> Result<(), TemplateError> {
    match placeholders(template)?
        .into_iter()
        .find(|name| !KNOWN_PLACEHOLDERS.iter().any(|(known, _)| known == name))
    {
        Some(name) => Err(TemplateError::Unknown { name }),
        None => Ok(()),
    }
}

/// Fills in `template`, asking `value` for each placeholder; a placeholder without a value is an
/// error rather than a reply with a hole in it.
pub fn render(
    template: &str,
    value: &dyn Fn(&str) -> Option<String>,
) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len());
    for segment in parse(template)? {
        match segment {
            Segment::Text(text) => out.push_str(&text),
            Segment::Placeholder(name) => match value(&name) {
                Some(filled) => out.push_str(&filled),
                None => return Err(TemplateError::Unknown { name }),
            },
        }
    }
    Ok(out)
}

/// `text` written so that [`render`] gives it back unchanged: braces doubled.
pub fn escape_literal(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

/// A template that cannot be read or filled in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("the '{{' at position {position} is never closed: finish the placeholder with '}}' or write '{{{{' for a literal brace")]
    Unclosed { position: usize },
    #[error("placeholder {{{name}}} at position {position} is not a valid name: use lower-case letters and '_' only")]
    BadName { position: usize, name: String },
    #[error("unknown placeholder {{{name}}}")]
    Unknown { name: String },
    #[error("the '}}' at position {position} closes nothing: write '}}}}' for a literal brace")]
    StrayClosingBrace { position: usize },
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn known(name: &str) -> Option<String> {
        match name {
            "author" => Some("@sam".to_string()),
            "agent" => Some("Ana".to_string()),
            "case" => Some("#42".to_string()),
            _ => None,
        }
    }

    #[test]
    fn fills_in_placeholders() {
        let template =
            "Hi {author}, thanks for case {case}. {{Not a placeholder}} — {agent}, {author}";
        assert_eq!(
            placeholders(template).unwrap(),
            vec!["author", "case", "agent"]
        );
        assert_eq!(
            render(template, &known).unwrap(),
            "Hi @sam, thanks for case #42. {Not a placeholder} — Ana, @sam"
        );
        assert_eq!(render("", &known).unwrap(), "");
        assert_eq!(
            placeholders("no placeholders").unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn errors_name_the_position_and_name() {
        let error = placeholders("Hello {author").unwrap_err();
        assert_eq!(error, TemplateError::Unclosed { position: 6 });
        assert!(error.to_string().contains("position 6"));
        assert_eq!(
            placeholders("é {a{b}").unwrap_err(),
            TemplateError::Unclosed { position: 2 }
        );
        let error = placeholders("Hi {Author}").unwrap_err();
        assert_eq!(
            error,
            TemplateError::BadName {
                position: 3,
                name: "Author".into()
            }
        );
        assert_eq!(
            error.to_string(),
            "placeholder {Author} at position 3 is not a valid name: use lower-case letters and '_' only"
        );
        assert!(matches!(
            placeholders("{}"),
            Err(TemplateError::BadName { position: 0, .. })
        ));
        assert_eq!(
            placeholders("oops }").unwrap_err(),
            TemplateError::StrayClosingBrace { position: 5 }
        );
        let error = render("Dear {mayor}", &known).unwrap_err();
        assert_eq!(
            error,
            TemplateError::Unknown {
                name: "mayor".into()
            }
        );
        assert_eq!(error.to_string(), "unknown placeholder {mayor}");
    }

    #[test]
    fn saved_replies_may_only_use_known_placeholders() {
        assert_eq!(check_known("{author} {agent} {team} {case} {date}"), Ok(()));
        assert_eq!(
            check_known("{author} {budget}"),
            Err(TemplateError::Unknown {
                name: "budget".into()
            })
        );
    }

    proptest! {
        #[test]
        fn text_without_braces_renders_to_itself(text in "[^{}]*") {
            prop_assert_eq!(render(&text, &|_| None).unwrap(), text);
        }

        #[test]
        fn escaped_text_renders_to_itself(text in any::<String>()) {
            prop_assert_eq!(render(&escape_literal(&text), &|_| None).unwrap(), text.clone());
            prop_assert!(placeholders(&escape_literal(&text)).unwrap().is_empty());
        }

        #[test]
        fn never_panics(text in "[a-z{} _A-Z]{0,40}") {
            let _ = render(&text, &known);
        }
    }
}
