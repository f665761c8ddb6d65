//! What a policy expects of one text value of a certificate (a Sigstore
//! identity, an OIDC issuer, a Fulcio extension, a leaf's subject or SAN):
//! the exact string, or (feature `regex`) an anchored regular expression.
//!
//! Rules of [`Matcher::regex`], in order:
//! 1. the pattern is at most [`MAX_PATTERN_BYTES`] long;
//! 2. it parses as Rust `regex` syntax (regex-syntax; Unicode-aware
//!    classes `\d`, `\w`, `\s` included, Unicode case folding and `\b`
//!    not: `(?i)` on letters and `\b` are refused as invalid);
//! 3. it is anchored as a whole: the parsed pattern is a sequence that
//!    begins with `^` (or `\A`) and ends with `$` (or `\z`), outside any
//!    alternation or multi-line mode. `^a|b$` is refused (it matches any
//!    value that starts with `a` or ends with `b`): write `^(?:a|b)$`. A
//!    pattern that passes this check can only match a whole value, so an
//!    identity pattern never matches a longer identity that merely
//!    contains a match;
//! 4. it compiles to a Pike VM (regex-automata, no_std with `alloc`)
//!    within [`MAX_PATTERN_NFA_BYTES`].
//!
//! Matching is byte for byte on the UTF-8 text for an exact matcher (no
//! case folding, no normalisation) and a whole-value match for a pattern.
//!
//! Why a Pike VM rather than the `regex` crate: `regex` needs `std`;
//! regex-automata's Pike VM needs `alloc` only, runs in time linear in the
//! value, and needs no thread-local cache pool (each match builds its own
//! small cache: policy values are a few hundred bytes at most).

use alloc::string::String;
use core::fmt;

use crate::limits::MAX_PATTERN_BYTES;
#[cfg(feature = "regex")]
use crate::limits::MAX_PATTERN_NFA_BYTES;

/// How a [`Matcher`] compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum MatchKind {
    /// The value must be this string, byte for byte.
    Exact,
    /// The whole value must match this anchored regular expression.
    Regex,
}

/// Why a pattern was refused (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum MatcherError {
    /// Longer than [`MAX_PATTERN_BYTES`].
    TooLong,
    /// Not valid regular-expression syntax, or a feature this build
    /// leaves out; `at` is the byte offset in the pattern where the
    /// problem starts. [`Matcher::regex_diagnostic`] says what it is.
    Syntax {
        /// Byte offset into the pattern.
        at: usize,
    },
    /// Not anchored as a whole (`^…$` at the top level, see the module
    /// docs).
    Unanchored,
    /// The compiled pattern is larger than [`MAX_PATTERN_NFA_BYTES`], or
    /// uses an assertion the matcher cannot run (a Unicode `\b`).
    TooComplex,
    /// This build has no regular expressions (feature `regex` off).
    Unsupported,
}

impl fmt::Display for MatcherError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong => write!(
                f,
                "the regular expression is longer than {MAX_PATTERN_BYTES} bytes"
            ),
            Self::Syntax { at } => write!(f, "invalid regular expression (at byte {at})"),
            Self::Unanchored => f.write_str(
                "the regular expression must match whole values: begin it with ^ and end it with $, \
                 outside any alternation (write ^(?:a|b)$, not ^a|b$)",
            ),
            Self::TooComplex => f.write_str(
                "the regular expression is too large to compile, or uses a Unicode word boundary",
            ),
            Self::Unsupported => f.write_str("this build has no regular expressions"),
        }
    }
}

/// An exact value or an anchored regular expression (see the module docs).
#[derive(Clone)]
pub struct Matcher {
    text: String,
    #[cfg(feature = "regex")]
    regex: Option<regex_automata::nfa::thompson::pikevm::PikeVM>,
}

impl fmt::Debug for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Matcher")
            .field("kind", &self.kind())
            .field("text", &self.text)
            .finish()
    }
}

/// Two matchers are equal when they compare the same way with the same
/// text (a pattern is compared as written).
impl PartialEq for Matcher {
    fn eq(&self, other: &Self) -> bool {
        self.kind() == other.kind() && self.text == other.text
    }
}

impl Eq for Matcher {}

impl Matcher {
    /// Matches `value` exactly, byte for byte.
    pub fn exact(value: &str) -> Self {
        Self {
            text: String::from(value),
            #[cfg(feature = "regex")]
            regex: None,
        }
    }

    /// Matches whole values against `pattern`, which must be anchored
    /// (rules 1–4 of the module docs). Without the `regex` feature every
    /// pattern is refused ([`MatcherError::Unsupported`]).
    pub fn regex(pattern: &str) -> Result<Self, MatcherError> {
        if pattern.len() > MAX_PATTERN_BYTES {
            return Err(MatcherError::TooLong);
        }
        #[cfg(feature = "regex")]
        {
            let vm = compile(pattern)?;
            Ok(Self {
                text: String::from(pattern),
                regex: Some(vm),
            })
        }
        #[cfg(not(feature = "regex"))]
        {
            Err(MatcherError::Unsupported)
        }
    }

    /// What `pattern`'s syntax error is, in words (regex-syntax's message,
    /// which points at the offending part), for a pattern
    /// [`Matcher::regex`] refused with [`MatcherError::Syntax`]. Built on
    /// demand so that errors stay `Copy` and carry no text.
    pub fn regex_diagnostic(pattern: &str) -> impl fmt::Display + '_ {
        Diagnostic(pattern)
    }

    /// Exact or regular expression.
    pub fn kind(&self) -> MatchKind {
        #[cfg(feature = "regex")]
        if self.regex.is_some() {
            return MatchKind::Regex;
        }
        MatchKind::Exact
    }

    /// The exact value, or the pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether `value` is the exact value, or matches the pattern as a
    /// whole.
    pub fn is_match(&self, value: &str) -> bool {
        #[cfg(feature = "regex")]
        if let Some(vm) = &self.regex {
            use regex_automata::{Anchored, Input};
            let mut cache = vm.create_cache();
            return vm.is_match(&mut cache, Input::new(value).anchored(Anchored::Yes));
        }
        self.text == value
    }
}

impl fmt::Display for Matcher {
    /// `"value"` for an exact matcher, `/pattern/` for a pattern.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind() {
            MatchKind::Exact => write!(f, "{:?}", self.text),
            MatchKind::Regex => write!(f, "/{}/", self.text),
        }
    }
}

struct Diagnostic<'a>(&'a str);

impl fmt::Display for Diagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        #[cfg(feature = "regex")]
        if let Err(e) = regex_syntax::Parser::new().parse(self.0) {
            // regex-syntax's own message: the pattern, a caret line, and
            // what is wrong there.
            return write!(f, "{e}");
        }
        match Matcher::regex(self.0) {
            Ok(_) => f.write_str("valid"),
            Err(e) => write!(f, "{e}"),
        }
    }
}

/// Rules 2–4 of the module docs.
#[cfg(feature = "regex")]
fn compile(pattern: &str) -> Result<regex_automata::nfa::thompson::pikevm::PikeVM, MatcherError> {
    use regex_automata::nfa::thompson::{self, pikevm::PikeVM};
    use regex_syntax::hir::{HirKind, Look};

    // 2.
    let hir = regex_syntax::Parser::new().parse(pattern).map_err(|e| {
        let at = match &e {
            regex_syntax::Error::Parse(e) => e.span().start.offset,
            regex_syntax::Error::Translate(e) => e.span().start.offset,
            _ => 0,
        };
        MatcherError::Syntax { at }
    })?;
    // 3. Only a top-level sequence `^ … $` is anchored at both ends for
    // every way it can match; an alternation, a group or a multi-line
    // anchor (StartLF, EndLF, CRLF) is not.
    let anchored = match hir.kind() {
        HirKind::Concat(parts) => {
            matches!(
                parts.first().map(|h| h.kind()),
                Some(HirKind::Look(Look::Start))
            ) && matches!(
                parts.last().map(|h| h.kind()),
                Some(HirKind::Look(Look::End))
            )
        }
        _ => false,
    };
    if !anchored {
        return Err(MatcherError::Unanchored);
    }
    // 4.
    let nfa = thompson::Compiler::new()
        .configure(thompson::Config::new().nfa_size_limit(Some(MAX_PATTERN_NFA_BYTES)))
        .build_from_hir(&hir)
        .map_err(|_| MatcherError::TooComplex)?;
    PikeVM::new_from_nfa(nfa).map_err(|_| MatcherError::TooComplex)
}

#[cfg(test)]
mod tests;
