//! Tests of the JSON reader.
use super::*;

fn ok(s: &str) -> Value<'_> {
    parse(s.as_bytes()).unwrap_or_else(|e| panic!("{s:?}: {e:?}"))
}

#[test]
fn accepts_valid_documents() {
    for s in [
        "{}",
        "[]",
        " {\"a\" : [1, -2.5e+3, 0, true, false, null, \"x\"]} ",
        "\"\\u00e9\\ud83d\\ude00\\n\"",
        "0",
        "-0.0E-0",
        "[[[[]]]]",
        "{\"\":{\"\":{}}}",
    ] {
        ok(s);
    }
}

#[test]
fn rejects_invalid_documents() {
    for s in [
        "",
        "   ",
        "{",
        "[1,]",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{a:1}",
        "[01]",
        "[+1]",
        "[1.]",
        "[.5]",
        "[1e]",
        "[tru]",
        "[nul]",
        "\"\\x\"",
        "\"\\ud83d\"",
        "\"\\ude00\"",
        "\"\\ud83d\\u0041\"",
        "\"a\tb\"",
        "{} {}",
        "[1 2]",
        "\u{feff}{}",
        "{\"a\":1 \"b\":2}",
        "[}",
        "{]",
    ] {
        assert!(parse(s.as_bytes()).is_err(), "accepted {s:?}");
    }
    assert_eq!(parse(b"\xff"), Err(JsonError::NotUtf8));
}

#[test]
fn top_level_span_excludes_whitespace() {
    // Found by fuzzing: a trailing space was part of the value's span.
    for (doc, raw) in [
        ("true ", "true"),
        (" 12\n", "12"),
        ("\t{} ", "{}"),
        ("\"x\" ", "\"x\""),
    ] {
        assert_eq!(ok(doc).raw(), raw.as_bytes(), "{doc:?}");
    }
    assert_eq!(ok("true ").bool(), Ok(true));
    assert_eq!(ok(" 7 ").exact_u64(10), Ok(7));
}

#[test]
fn depth_is_bounded() {
    let mut deep = std::string::String::new();
    for _ in 0..MAX_JSON_DEPTH {
        deep.push('[');
    }
    for _ in 0..MAX_JSON_DEPTH {
        deep.push(']');
    }
    ok(&deep);
    let deeper = std::format!("[{deep}]");
    assert_eq!(parse(deeper.as_bytes()), Err(JsonError::TooDeep));
    // A hostile depth far beyond the bound costs no stack.
    let hostile = "[".repeat(1_000_000);
    assert_eq!(parse(hostile.as_bytes()), Err(JsonError::TooDeep));
}

#[test]
fn objects_lookup_unescapes_keys_and_rejects_duplicates() {
    let v = ok(r#"{"_\u0074ype": "x", "b": [1, {"c": "}"}], "d": "\"]"}"#);
    let o = v.object().unwrap();
    assert!(o.get("_type").unwrap().unwrap().str().unwrap().eq_str("x"));
    assert_eq!(o.get("b").unwrap().unwrap().raw(), br#"[1, {"c": "}"}]"#);
    assert!(o.get("d").unwrap().unwrap().str().unwrap().eq_str("\"]"));
    assert_eq!(o.get("zzz").unwrap(), None);
    let dup = ok(r#"{"a": 1, "\u0061": 2}"#);
    assert_eq!(dup.object().unwrap().get("a"), Err(JsonError::DuplicateKey));
}

#[test]
fn arrays_iterate_lazily() {
    let v = ok(r#"[ "a" , {"x":[1,2]} ,3,[],"\\"]"#);
    let items: std::vec::Vec<_> = v
        .array()
        .unwrap()
        .iter()
        .map(|e| e.unwrap().raw())
        .collect();
    assert_eq!(
        items,
        [&b"\"a\""[..], br#"{"x":[1,2]}"#, b"3", b"[]", br#""\\""#]
    );
    assert!(ok("[]").array().unwrap().is_empty());
    assert!(ok("[ ]").array().unwrap().iter().next().is_none());
}

#[test]
fn strings_decode_all_escapes() {
    let v = ok(r#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00z""#);
    let s = v.str().unwrap();
    let decoded: std::string::String = s.chars().collect();
    assert_eq!(decoded, "a\"\\/\u{8}\u{c}\n\r\té😀z");
    let mut buf = [0u8; 64];
    assert_eq!(s.unescape(&mut buf).unwrap(), decoded);
    assert!(s.eq_str(&decoded));
    assert!(!s.eq_str("a"));
    let bytes: std::vec::Vec<u8> = s.bytes().collect();
    assert_eq!(bytes, decoded.as_bytes());
    let mut small = [0u8; 4];
    assert_eq!(s.unescape(&mut small), Err(JsonError::StringTooLong));
}

#[test]
fn exact_integers() {
    let n = |s: &str, max| ok(s).exact_u64(max);
    assert_eq!(n("1000", u64::MAX), Ok(1000));
    assert_eq!(n("1000.0", u64::MAX), Ok(1000));
    assert_eq!(n("1e3", u64::MAX), Ok(1000));
    assert_eq!(n("1.5e3", u64::MAX), Ok(1500));
    assert_eq!(n("15000e-1", u64::MAX), Ok(1500));
    assert_eq!(n("0", u64::MAX), Ok(0));
    assert_eq!(n("-0.0", u64::MAX), Ok(0));
    assert_eq!(
        n("0.0001e-5", u64::MAX),
        Err(JsonError::InvalidNumber { offset: 0 })
    );
    assert!(n("1000.5", u64::MAX).is_err());
    assert!(n("-1", u64::MAX).is_err());
    assert!(n("1e400", u64::MAX).is_err());
    assert!(n("18446744073709551616", u64::MAX).is_err());
    assert_eq!(n("18446744073709551615", u64::MAX), Ok(u64::MAX));
    assert!(n("1001", 1000).is_err());
    assert!(ok("\"1\"").exact_u64(10).is_err());
    // Huge exponents cost nothing.
    assert_eq!(n("0e1514450368", u64::MAX), Ok(0));
    assert!(n("1e1514450368", u64::MAX).is_err());
    assert!(n("1e99999999999", u64::MAX).is_err());
}
