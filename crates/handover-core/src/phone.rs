//! Phone numbers: strict E.164 syntax, country calling codes, and the numbering plans behind a trait
//! so that the rules do not depend on one library's API.

use std::borrow::Cow;

use rlibphonenumber::{PHONE_NUMBER_UTIL, PhoneNumberFormat, Region};

/// What the rules need to know about numbering plans.
pub trait NumberingPlan: Send + Sync {
    /// Whether `number` (E.164 syntax already checked) is valid in its country's numbering plan.
    fn is_valid(&self, number: &str) -> bool;
    /// The E.164 form of a number written nationally in `region` (an ISO 3166 code such as `DE`).
    fn to_e164(&self, national: &str, region: &str) -> Option<String>;
    /// Whether `region` is an ISO 3166 code the plan knows.
    fn knows_region(&self, region: &str) -> bool;
}

/// The numbering plans of Google's libphonenumber metadata, through the pinned rlibphonenumber crate.
pub struct Libphonenumber;

impl Libphonenumber {
    fn region(code: &str) -> Option<Region> {
        code.to_ascii_uppercase().parse().ok()
    }
}

impl NumberingPlan for Libphonenumber {
    fn is_valid(&self, number: &str) -> bool {
        PHONE_NUMBER_UTIL
            .parse(number, None)
            .is_ok_and(|parsed| PHONE_NUMBER_UTIL.is_valid_number(&parsed))
    }

    fn to_e164(&self, national: &str, region: &str) -> Option<String> {
        let parsed = PHONE_NUMBER_UTIL
            .parse(national, Some(Self::region(region)?))
            .ok()?;
        if !PHONE_NUMBER_UTIL.is_possible_number(&parsed) {
            return None;
        }
        let e164 = PHONE_NUMBER_UTIL
            .format(&parsed, PhoneNumberFormat::E164)
            .into_owned();
        is_e164(&e164).then_some(e164)
    }

    fn knows_region(&self, region: &str) -> bool {
        Self::region(region)
            .is_some_and(|r| PHONE_NUMBER_UTIL.get_country_code_for_region(r).is_some())
    }
}

/// Country calling codes in use (ITU-T E.164 assignments, as in libphonenumber's metadata). A static
/// table keeps the always-on check free of the metadata's start-up cost; a test keeps it in step.
pub const CALLING_CODES: &[u16] = &[
    1, 7, 20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54,
    55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98, 211,
    212, 213, 216, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234,
    235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253,
    254, 255, 256, 257, 258, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 290, 291, 297, 298,
    299, 350, 351, 352, 353, 354, 355, 356, 357, 358, 359, 370, 371, 372, 373, 374, 375, 376, 377,
    378, 380, 381, 382, 383, 385, 386, 387, 389, 420, 421, 423, 500, 501, 502, 503, 504, 505, 506,
    507, 508, 509, 590, 591, 592, 593, 594, 595, 596, 597, 598, 599, 670, 672, 673, 674, 675, 676,
    677, 678, 679, 680, 681, 682, 683, 685, 686, 687, 688, 689, 690, 691, 692, 800, 808, 850, 852,
    853, 855, 856, 870, 878, 880, 881, 882, 883, 886, 888, 960, 961, 962, 963, 964, 965, 966, 967,
    968, 970, 971, 972, 973, 974, 975, 976, 977, 979, 992, 993, 994, 995, 996, 998,
];

/// [`CALLING_CODES`] as one bit for each number below 1000: every record with a phone number
/// looks its prefixes up.
const CODE_SET: [u64; 16] = {
    let mut set = [0u64; 16];
    let mut i = 0;
    while i < CALLING_CODES.len() {
        let code = CALLING_CODES[i] as usize;
        set[code / 64] |= 1 << (code % 64);
        i += 1;
    }
    set
};

/// `+`, then 2 to 15 digits, the first not 0, and nothing else.
pub fn is_e164(text: &str) -> bool {
    let Some(digits) = text.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// The calling code an E.164 number starts with, when a country uses it. Calling codes are prefix-free,
/// so at most one of the 1-, 2- and 3-digit prefixes can match.
pub fn calling_code(e164: &str) -> Option<u16> {
    let digits = e164.strip_prefix('+')?.as_bytes();
    let mut code = 0;
    for &d in digits.iter().take(3.min(digits.len().saturating_sub(1))) {
        if !d.is_ascii_digit() {
            return None;
        }
        code = code * 10 + u16::from(d - b'0');
        if CODE_SET[usize::from(code) / 64] >> (code % 64) & 1 == 1 {
            return Some(code);
        }
    }
    None
}

const SEPARATORS: &[char] = &[' ', '-', '.', '(', ')', '/', '\u{a0}', '\t'];

/// The E.164 form of a number that is not E.164 yet, when it can be derived without guessing:
/// separators stripped, a `tel:` scheme or `00` international prefix replaced, or a national number
/// in the configured default region.
pub fn suggest_e164(
    text: &str,
    default_region: Option<&str>,
    plan: &dyn NumberingPlan,
) -> Option<String> {
    let trimmed = text.trim();
    let trimmed = trimmed
        .strip_prefix("tel:")
        .or_else(|| trimmed.strip_prefix("TEL:"))
        .unwrap_or(trimmed);
    // Sized once: every number that is not E.164 comes here, and a collected string would grow.
    let mut compact = String::with_capacity(trimmed.len());
    compact.extend(trimmed.chars().filter(|c| !SEPARATORS.contains(c)));
    let candidate = match compact.strip_prefix("00") {
        Some(rest) => Cow::Owned(["+", rest].concat()),
        None => Cow::Borrowed(compact.as_str()),
    };
    if is_e164(&candidate) && calling_code(&candidate).is_some() {
        return Some(candidate.into_owned());
    }
    let region = default_region?;
    if compact.is_empty()
        || !compact
            .trim_start_matches('+')
            .bytes()
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    plan.to_e164(trimmed, region)
        .filter(|number| calling_code(number).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_syntax() {
        for good in ["+15551234567", "+12", "+123456789012345"] {
            assert!(is_e164(good), "{good}");
        }
        for bad in [
            "15551234567",
            "+1",
            "+0123",
            "+1234567890123456",
            "+1 555",
            "+1555x",
            "",
            "+",
        ] {
            assert!(!is_e164(bad), "{bad}");
        }
    }

    #[test]
    fn calling_codes() {
        assert_eq!(calling_code("+15551234567"), Some(1));
        assert_eq!(calling_code("+442071234567"), Some(44));
        assert_eq!(calling_code("+35312345678"), Some(353));
        assert_eq!(calling_code("+9991234567"), None);
        assert_eq!(calling_code("+28123"), None);
        // The bit set answers as a search of the table does, for every string of up to 5 digits.
        let searched = |e164: &str| {
            let digits = e164.strip_prefix('+')?.as_bytes();
            let mut code = 0;
            for &d in digits.iter().take(3.min(digits.len().saturating_sub(1))) {
                code = code * 10 + u16::from(d - b'0');
                if CALLING_CODES.binary_search(&code).is_ok() {
                    return Some(code);
                }
            }
            None
        };
        for width in 1..=5 {
            for n in 0..10_u32.pow(width as u32) {
                let number = format!("+{n:0width$}");
                assert_eq!(calling_code(&number), searched(&number), "{number}");
            }
        }
    }

    #[test]
    fn calling_code_table_matches_the_metadata() {
        let mut codes: Vec<u16> = PHONE_NUMBER_UTIL
            .get_supported_calling_codes()
            .map(|c| c as u16)
            .collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes, CALLING_CODES);
    }

    #[test]
    fn suggestions() {
        let plan = Libphonenumber;
        assert_eq!(
            suggest_e164("+1 555 123 4567", None, &plan).as_deref(),
            Some("+15551234567")
        );
        assert_eq!(
            suggest_e164("0044 20 7123 4567", None, &plan).as_deref(),
            Some("+442071234567")
        );
        assert_eq!(
            suggest_e164("tel:+1-555-123-4567", None, &plan).as_deref(),
            Some("+15551234567")
        );
        assert_eq!(suggest_e164("(555) 123-4567", None, &plan), None);
        assert_eq!(
            suggest_e164("(415) 555-2671", Some("US"), &plan).as_deref(),
            Some("+14155552671")
        );
        assert_eq!(
            suggest_e164("030 1234567", Some("de"), &plan).as_deref(),
            Some("+49301234567")
        );
        assert_eq!(suggest_e164("call me", Some("US"), &plan), None);
    }

    #[test]
    fn numbering_plan() {
        let plan = Libphonenumber;
        assert!(plan.is_valid("+14155552671"));
        assert!(!plan.is_valid("+15550000000"));
        assert!(plan.knows_region("GB"));
        assert!(!plan.knows_region("XX"));
    }
}
