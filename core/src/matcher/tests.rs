//! Tests of `matcher`.

use super::*;

#[test]
fn exact_is_byte_for_byte() {
    let m = Matcher::exact("https://github.com/acme/repo");
    assert_eq!(m.kind(), MatchKind::Exact);
    assert!(m.is_match("https://github.com/acme/repo"));
    assert!(!m.is_match("https://github.com/acme/repo/"));
    assert!(!m.is_match("https://github.com/ACME/repo"));
    assert!(!m.is_match(""));
    assert_eq!(std::format!("{m}"), "\"https://github.com/acme/repo\"");
}

#[cfg(feature = "regex")]
#[test]
fn patterns_match_whole_values_only() {
    let m = Matcher::regex(
        r"^https://github\.com/acme/repo/\.github/workflows/release\.yml@refs/tags/v[0-9]+$",
    )
    .unwrap();
    assert_eq!(m.kind(), MatchKind::Regex);
    let id = "https://github.com/acme/repo/.github/workflows/release.yml@refs/tags/v12";
    assert!(m.is_match(id));
    // A longer identity that contains a match does not match.
    assert!(!m.is_match(&std::format!("{id}-evil")));
    assert!(!m.is_match(&std::format!("x{id}")));
    assert!(!m.is_match(&std::format!("{id}\n")));
    // Leftmost-first semantics do not cut a whole match short.
    let alt = Matcher::regex("^(?:a|ab)$").unwrap();
    assert!(alt.is_match("ab"));
    assert!(alt.is_match("a"));
    assert!(!alt.is_match("abb"));
    assert_eq!(std::format!("{alt}"), "/^(?:a|ab)$/");
    // `\A` and `\z` anchor as `^` and `$` do.
    assert!(Matcher::regex(r"\Aa+\z").unwrap().is_match("aaa"));
    // The empty value.
    assert!(Matcher::regex("^$").unwrap().is_match(""));
}

#[cfg(feature = "regex")]
#[test]
fn unanchored_patterns_are_refused() {
    for p in [
        "a", "^a", "a$", "^a|b$", "(?m)^a$", "(^a$)|b", "^a$|^b$", ".*", "",
    ] {
        assert_eq!(
            Matcher::regex(p).map(|_| ()),
            Err(MatcherError::Unanchored),
            "{p}"
        );
    }
}

#[cfg(feature = "regex")]
#[test]
fn invalid_patterns_are_refused_with_where() {
    assert_eq!(
        Matcher::regex("^(a$").map(|_| ()),
        Err(MatcherError::Syntax { at: 1 })
    );
    assert_eq!(
        Matcher::regex("^a{2,1}$").map(|_| ()),
        Err(MatcherError::Syntax { at: 2 })
    );
    // Unicode case folding is left out of the build.
    assert!(matches!(
        Matcher::regex("^(?i)abc$"),
        Err(MatcherError::Syntax { .. })
    ));
    // A Unicode word boundary cannot run in the Pike VM built without it.
    assert_eq!(
        Matcher::regex(r"^\bx$").map(|_| ()),
        Err(MatcherError::TooComplex)
    );
    let text = std::format!("{}", Matcher::regex_diagnostic("^(a$"));
    assert!(text.contains("unclosed group"), "{text}");
    // Too long, and too large once compiled.
    let long = std::format!("^{}$", "a".repeat(MAX_PATTERN_BYTES));
    assert_eq!(
        Matcher::regex(&long).map(|_| ()),
        Err(MatcherError::TooLong)
    );
    assert_eq!(
        Matcher::regex("^(?:[a-z]{100}){100}$").map(|_| ()),
        Err(MatcherError::TooComplex)
    );
}

#[cfg(not(feature = "regex"))]
#[test]
fn without_the_feature_patterns_are_refused() {
    assert_eq!(
        Matcher::regex("^a$").map(|_| ()),
        Err(MatcherError::Unsupported)
    );
}

#[test]
fn equality_is_by_kind_and_text() {
    assert_eq!(Matcher::exact("a"), Matcher::exact("a"));
    assert_ne!(Matcher::exact("a"), Matcher::exact("b"));
    #[cfg(feature = "regex")]
    {
        assert_ne!(Matcher::exact("^a$"), Matcher::regex("^a$").unwrap());
        assert_eq!(
            Matcher::regex("^a$").unwrap(),
            Matcher::regex("^a$").unwrap()
        );
    }
}
