//! The `format` values the generated validators check. Each check is a small hand-written
//! recogniser of the standard's grammar (no allocation); `uri` uses the URL parser reqwest
//! already brings.

/// A string `format` of JSON Schema that is checked, not just annotated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// `email`: RFC 5321 `local@domain` in its common dot-atom form.
    Email,
    /// `uuid`: RFC 4122 `8-4-4-4-12` hexadecimal digits.
    Uuid,
    /// `date-time`: RFC 3339 `2024-05-01T12:30:00Z` / `+02:00`, fractions allowed.
    DateTime,
    /// `uri`: an absolute URI with a scheme.
    Uri,
    /// `byte` (OpenAPI): base64 as RFC 4648 section 4 writes it, padded.
    Byte,
}

impl Format {
    /// The format's name in JSON Schema.
    pub fn name(self) -> &'static str {
        match self {
            Format::Email => "email",
            Format::Uuid => "uuid",
            Format::DateTime => "date-time",
            Format::Uri => "uri",
            Format::Byte => "byte",
        }
    }

    /// Whether `value` is in this format.
    pub fn accepts(self, value: &str) -> bool {
        match self {
            Format::Email => email(value),
            Format::Uuid => uuid(value),
            Format::DateTime => date_time(value),
            Format::Uri => uri(value),
            Format::Byte => base64(value),
        }
    }
}

fn email(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let atom = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    let dot_atom = |s: &str, allowed: &dyn Fn(char) -> bool| {
        !s.is_empty()
            && s.split('.')
                .all(|part| !part.is_empty() && part.chars().all(allowed))
    };
    let label = |c: char| c.is_ascii_alphanumeric() || c == '-';
    local.len() <= 64
        && dot_atom(local, &atom)
        && domain.len() <= 255
        && dot_atom(domain, &label)
        && domain
            .split('.')
            .all(|l| !l.starts_with('-') && !l.ends_with('-'))
}

fn uuid(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn date_time(value: &str) -> bool {
    let b = value.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let (Some(hour), Some(minute), Some(second)) = (digits(11..13), digits(14..16), digits(17..19))
    else {
        return false;
    };
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return false;
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return false;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut rest = &b[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            let all = [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit());
            all && (h1 - b'0') * 10 + (h2 - b'0') <= 23 && (m1 - b'0') * 10 + (m2 - b'0') <= 59
        }
        _ => false,
    }
}

fn base64(value: &str) -> bool {
    let bytes = value.as_bytes();
    if bytes.len() % 4 != 0 {
        return false;
    }
    let padding = bytes.iter().rev().take_while(|b| **b == b'=').count();
    padding <= 2
        && bytes[..bytes.len() - padding]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
}

fn uri(value: &str) -> bool {
    // `Url::parse` accepts only absolute URLs; reject what it would silently repair.
    !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && reqwest::Url::parse(value).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_accept_the_standard_and_reject_near_misses() {
        let cases = [
            (Format::Email, "wash@example.com", true),
            (Format::Email, "first.last+tag@sub.example.co", true),
            (Format::Email, "no-at-sign", false),
            (Format::Email, "two@@example.com", false),
            (Format::Email, "a@-bad-.com", false),
            (Format::Email, ".dot@example.com", false),
            (Format::Uuid, "0f8fad5b-d9cb-469f-a165-70867728950e", true),
            (Format::Uuid, "0f8fad5bd9cb469fa16570867728950e", false),
            (Format::Uuid, "0f8fad5b-d9cb-469f-a165-70867728950g", false),
            (Format::DateTime, "2024-02-29T12:30:00Z", true),
            (Format::DateTime, "2024-05-01T12:30:00.123+02:00", true),
            (Format::DateTime, "2023-02-29T12:30:00Z", false),
            (Format::DateTime, "2024-05-01 12:30", false),
            (Format::DateTime, "2024-05-01T24:00:00Z", false),
            (Format::Uri, "https://api.intercom.io/messages?x=1", true),
            (Format::Uri, "mailto:wash@example.com", true),
            (Format::Uri, "/relative/path", false),
            (Format::Uri, "https://exa mple.com", false),
            (Format::Byte, "aGVsbG8=", true),
            (Format::Byte, "", true),
            (Format::Byte, "aGVsbG8", false),
            (Format::Byte, "aGVs bG8=", false),
            (Format::Byte, "iVBORw0KGgo...", false),
            (Format::Byte, "a===", false),
        ];
        for (format, value, valid) in cases {
            assert_eq!(format.accepts(value), valid, "{} {value:?}", format.name());
        }
    }
}
