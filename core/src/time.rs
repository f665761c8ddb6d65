//! Time, as the verifier is given it and as signed documents write it.
//!
//! The core has no clock. A caller passes a [`Time`]: the current time
//! ([`Time::Now`]), or [`Time::NoClock`] on a device that has none. What
//! each method does with it:
//!
//! - key method: nothing (a key has no validity period);
//! - certificate method: every certificate of the path must be valid at
//!   that time (RFC 5280 §6.1.3 (a)(2)); with [`Time::NoClock`] no
//!   certificate can be checked, and verification fails
//!   (`x509.no_verification_time`);
//! - sigstore method: certificates are checked at the *observed* times
//!   only (signed entry timestamps, RFC 3161 timestamps); the current time
//!   only bounds a transparency log's integrated time from above, a check
//!   skipped with [`Time::NoClock`] (the evidence says so).
//!
//! The conversions here read the three ways signed documents write a time,
//! with the calendar arithmetic left to [`der::DateTime`]:
//! - RFC 3339 `date-time` as protobuf's `Timestamp` JSON writes it
//!   ([`parse_rfc3339`]: trusted roots' `validFor`);
//! - DER GeneralizedTime with a fraction (X.690 §11.7: RFC 3161 genTime);
//! - X.509 `Time` (RFC 5280 §4.1.2.5, through x509-cert).

/// Whole seconds since the Unix epoch, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct UnixTime(u64);

impl UnixTime {
    /// `secs` seconds after 1970-01-01T00:00:00Z.
    pub const fn from_secs(secs: u64) -> Self {
        Self(secs)
    }

    /// Seconds since the Unix epoch.
    pub const fn secs(self) -> u64 {
        self.0
    }
}

/// The verification time a caller passes in (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Time {
    /// The current time, from a clock the caller trusts (or the time to
    /// verify "as of", such as the CLI's `--at`).
    Now(UnixTime),
    /// No trusted clock: checks that need the current time are skipped
    /// where the method allows it and fail where it does not.
    NoClock,
}

impl Time {
    /// [`Time::Now`] at `secs` Unix seconds.
    pub const fn at_secs(secs: u64) -> Self {
        Time::Now(UnixTime::from_secs(secs))
    }

    /// The current time, if the caller has one.
    pub const fn now(self) -> Option<UnixTime> {
        match self {
            Time::Now(t) => Some(t),
            Time::NoClock => None,
        }
    }
}

/// A point in time as protobuf's `Timestamp` holds it: Unix seconds and
/// nanoseconds (UTC). Ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct UnixInstant {
    /// Whole seconds since the Unix epoch.
    pub secs: u64,
    /// Nanoseconds past `secs` (below 10^9).
    pub nanos: u32,
}

impl UnixInstant {
    /// The whole second `secs`.
    pub const fn from_secs(secs: u64) -> Self {
        Self { secs, nanos: 0 }
    }

    /// `ms` milliseconds since the Unix epoch (an SCT's timestamp).
    pub fn from_millis(ms: u64) -> Self {
        // ms % 1000 < 1000: the conversion cannot fail, the product stays
        // below 10^9.
        let millis = u32::try_from(ms % 1000).unwrap_or(0);
        Self {
            secs: ms / 1000,
            nanos: millis.saturating_mul(1_000_000),
        }
    }
}

/// Parses an RFC 3339 `date-time` (§5.6) as protobuf's `Timestamp` JSON
/// writes it, `2021-01-12T11:53:27Z`, with an optional fraction of 1 to 9
/// digits and `Z` or a numeric offset (`+01:00`).
///
/// Stricter than RFC 3339 where protobuf and Go's `time.RFC3339` are: `T`
/// and `Z` upper case only, no leap second (`:60`; protobuf timestamps
/// smear them) and years from 1970 to 9999. The calendar (month lengths,
/// leap years) and the conversion are [`der::DateTime`]'s; only the text is
/// read here, as no crate of this workspace parses RFC 3339 in `no_std`.
#[cfg(any(feature = "sigstore", feature = "tuf"))]
pub(crate) fn parse_rfc3339(text: &str) -> Option<UnixInstant> {
    let b = text.as_bytes();
    let num = |at: usize, len: usize| -> Option<u16> {
        b.get(at..at.checked_add(len)?)?
            .iter()
            .try_fold(0u16, |n, &c| {
                c.is_ascii_digit()
                    .then(|| {
                        n.checked_mul(10)?
                            .checked_add(u16::from(c.wrapping_sub(b'0')))
                    })
                    .flatten()
            })
    };
    let two = |at: usize| num(at, 2).and_then(|n| u8::try_from(n).ok());
    let layout = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if !layout.iter().all(|&(at, c)| b.get(at) == Some(&c)) {
        return None;
    }
    let local = der::DateTime::new(num(0, 4)?, two(5)?, two(8)?, two(11)?, two(14)?, two(17)?)
        .ok()?
        .unix_duration()
        .as_secs();
    let mut rest = b.get(19..)?;
    let mut nanos = 0u32;
    if let Some(fraction) = rest.strip_prefix(b".") {
        let digits = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        for &c in fraction.get(..digits)? {
            nanos = nanos
                .saturating_mul(10)
                .saturating_add(u32::from(c.wrapping_sub(b'0')));
        }
        nanos = nanos
            .saturating_mul(10u32.checked_pow(u32::try_from(9usize.checked_sub(digits)?).ok()?)?);
        rest = fraction.get(digits..)?;
    }
    let utc = match rest {
        b"Z" => local,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let at = b.len().checked_sub(rest.len())?;
            let (hours, minutes) = (num(at.checked_add(1)?, 2)?, num(at.checked_add(4)?, 2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = u64::from(hours)
                .saturating_mul(3600)
                .saturating_add(u64::from(minutes).saturating_mul(60));
            // local = UTC + offset
            if *sign == b'+' {
                local.checked_sub(offset)?
            } else {
                local.checked_add(offset)?
            }
        }
        _ => return None,
    };
    Some(UnixInstant { secs: utc, nanos })
}

/// Parses a DER GeneralizedTime (X.690 §11.7: `YYYYMMDDHHMMSS[.f]Z`, the
/// fraction without trailing zeros) into Unix seconds and whether a
/// fraction followed. Hand-read: `der`'s `GeneralizedTime` has no
/// fractions, which RFC 3161 genTime may carry.
#[cfg(feature = "sigstore")]
pub(crate) fn parse_generalized_time(text: &[u8]) -> Option<(u64, bool)> {
    let (main, rest) = (text.get(..14)?, text.get(14..)?);
    if !main.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let num = |at: usize, len: usize| -> Option<u16> {
        main.get(at..at.checked_add(len)?)?
            .iter()
            .try_fold(0u16, |n, d| {
                n.checked_mul(10)?
                    .checked_add(u16::from(d.wrapping_sub(b'0')))
            })
    };
    let small = |at: usize| num(at, 2).and_then(|n| u8::try_from(n).ok());
    let (fraction, z) = match rest {
        [b'Z'] => (false, true),
        [b'.', digits @ .., b'Z'] => {
            let ok = !digits.is_empty()
                && digits.iter().all(u8::is_ascii_digit)
                && digits.last() != Some(&b'0');
            (true, ok)
        }
        _ => (false, false),
    };
    if !z {
        return None;
    }
    let t = der::DateTime::new(
        num(0, 4)?,
        small(4)?,
        small(6)?,
        small(8)?,
        small(10)?,
        small(12)?,
    )
    .ok()?;
    Some((t.unix_duration().as_secs(), fraction))
}

/// An X.509 `Time` (UTCTime or GeneralizedTime, whole seconds) in Unix
/// seconds.
#[cfg(feature = "certificate")]
pub(crate) fn x509_secs(t: &x509_cert::time::Time) -> u64 {
    t.to_unix_duration().as_secs()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "sigstore")]
    #[test]
    fn rfc3339_values() {
        let t = |s: &str| parse_rfc3339(s).map(|i| (i.secs, i.nanos));
        assert_eq!(t("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(t("2021-01-12T11:53:27Z"), Some((1_610_452_407, 0)));
        assert_eq!(t("2038-01-19T03:14:08Z"), Some((2_147_483_648, 0)));
        assert_eq!(t("9999-12-31T23:59:59Z"), Some((253_402_300_799, 0)));
        // Leap years: every 4th, not every 100th, but every 400th.
        assert_eq!(t("2024-02-29T12:00:00Z"), Some((1_709_208_000, 0)));
        assert_eq!(t("2000-02-29T00:00:00Z"), Some((951_782_400, 0)));
        assert_eq!(t("2024-03-01T00:00:00Z"), Some((1_709_251_200, 0)));
        // Fractions: 1 to 9 digits.
        assert_eq!(
            t("2022-12-31T23:59:59.999Z"),
            Some((1_672_531_199, 999_000_000))
        );
        assert_eq!(t("1970-01-01T00:00:00.5Z"), Some((0, 500_000_000)));
        assert_eq!(t("1970-01-01T00:00:01.000000001Z"), Some((1, 1)));
        assert_eq!(t("1970-01-01T00:00:01.0Z"), Some((1, 0)));
        // Offsets: local time minus the offset is UTC.
        assert_eq!(t("2021-01-12T12:53:27+01:00"), t("2021-01-12T11:53:27Z"));
        assert_eq!(t("2021-01-12T06:23:27-05:30"), t("2021-01-12T11:53:27Z"));
        assert_eq!(t("2021-01-12T11:53:27+00:00"), t("2021-01-12T11:53:27Z"));
        assert_eq!(t("2021-01-12T11:53:27-00:00"), t("2021-01-12T11:53:27Z"));
        assert_eq!(
            t("2021-01-13T00:53:27.25+13:00"),
            Some((1_610_452_407, 250_000_000))
        );
        assert_eq!(t("2021-01-01T00:00:00-23:59"), Some((1_609_545_540, 0)));
    }

    #[cfg(feature = "sigstore")]
    #[test]
    fn rfc3339_rejects() {
        for s in [
            "",
            "2021-01-12",
            "2021-01-12T11:53:27",
            "2021-01-12T11:53:27z",
            "2021-01-12t11:53:27Z",
            "2021-01-12 11:53:27Z",
            "2021-13-12T11:53:27Z",
            "2021-00-12T11:53:27Z",
            "2021-01-32T11:53:27Z",
            "2021-01-00T11:53:27Z",
            "2021-04-31T11:53:27Z",
            "2023-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2021-01-12T24:00:00Z",
            "2021-01-12T11:60:27Z",
            "2021-01-12T11:53:60Z",
            "1969-12-31T23:59:59Z",
            "10000-01-01T00:00:00Z",
            "2021-1-12T11:53:27Z",
            "2021-01-12T11:53:27.Z",
            "2021-01-12T11:53:27.1234567891Z",
            "2021-01-12T11:53:27.12a",
            "2021-01-12T11:53:27ZZ",
            "2021-01-12T11:53:27Z ",
            " 2021-01-12T11:53:27Z",
            "2021-01-12T11:53:27+01",
            "2021-01-12T11:53:27+0100",
            "2021-01-12T11:53:27+24:00",
            "2021-01-12T11:53:27+01:60",
            "2021-01-12T11:53:27+1:00",
            "+021-01-12T11:53:27Z",
            "2021-01-12T11:53:2+Z",
            "1970-01-01T00:30:00+01:00",
        ] {
            assert_eq!(parse_rfc3339(s), None, "accepted {s:?}");
        }
    }

    #[cfg(feature = "sigstore")]
    #[test]
    fn generalized_time() {
        let p = |s: &str| parse_generalized_time(s.as_bytes());
        assert_eq!(p("19700101000000Z"), Some((0, false)));
        assert_eq!(p("20261122043050Z"), Some((1_795_321_850, false)));
        assert_eq!(p("20261122043050.212Z"), Some((1_795_321_850, true)));
        assert_eq!(p("20240229235959.5Z"), Some((1_709_251_199, true)));
        for bad in [
            "20261122043050",      // no Z
            "202611220430Z",       // no seconds
            "20261122043050.Z",    // empty fraction
            "20261122043050.210Z", // trailing zero (not DER)
            "20261122043050,2Z",   // comma
            "20261122043050+0000", // offset
            "20261122043060Z",     // second 60
            "20230229000000Z",     // not a leap year
            "19691231235959Z",     // before 1970
            "2026112204305aZ",     // not a digit
            "20261122043050.2aZ",  // not a digit
            "",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }

    #[test]
    fn instants_order_and_convert() {
        assert_eq!(
            UnixInstant::from_millis(1_500),
            UnixInstant {
                secs: 1,
                nanos: 500_000_000
            }
        );
        assert!(UnixInstant::from_secs(1) < UnixInstant::from_millis(1_001));
        assert_eq!(Time::at_secs(7).now(), Some(UnixTime::from_secs(7)));
        assert_eq!(Time::NoClock.now(), None);
    }
}
