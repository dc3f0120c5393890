//! Ids of users, teams, channels and posts as upstream makes them (`model.NewId`): 26 characters,
//! 16 random bytes in base32 with upstream's own lowercase alphabet and no padding.

/// Upstream's base32 alphabet: lowercase letters and digits, chosen so ids are easy to read (no
/// `0`/`l`/`v` to mistake for `o`/`1`/`u`).
const ALPHABET: &[u8; 32] = b"ybndrfg8ejkmcpqxot1uwisza345h769";

/// The length of every id (`model.NewId`'s output; what `model.IsValidId` checks).
pub const ID_LEN: usize = 26;

/// A new random id. Panics only if the operating system has no randomness to give, which
/// leaves nothing sensible to do (the host's admin token needs it too).
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    encode(&bytes)
}

/// 16 bytes as 26 base32 characters: 128 bits in 5-bit groups, most significant first, the last
/// group filled up with two zero bits (as Go's `base32` encoder without padding characters).
fn encode(bytes: &[u8; 16]) -> String {
    let mut out = String::with_capacity(ID_LEN);
    // Bits read but not yet written, in the low `bits` bits of `buffer`.
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 0x1f) as usize]));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 0x1f) as usize]));
    }
    out
}

/// Whether `id` looks like an id: 26 ASCII letters or digits (upstream `model.IsValidId`, which
/// accepts any letters and digits, not only the alphabet's).
pub fn is_valid_id(id: &str) -> bool {
    id.len() == ID_LEN && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_26_characters_of_the_alphabet_and_differ() {
        let a = new_id();
        let b = new_id();
        assert_ne!(a, b);
        for id in [&a, &b] {
            assert_eq!(id.len(), ID_LEN);
            assert!(id.bytes().all(|c| ALPHABET.contains(&c)), "{id}");
            assert!(is_valid_id(id));
        }
    }

    #[test]
    fn encoding_matches_gos_base32_with_upstreams_alphabet() {
        // Go: base32.NewEncoding("ybndrfg8ejkmcpqxot1uwisza345h769").WithPadding(base32.NoPadding)
        // of 16 zero bytes is 26 times the first letter; of 16 0xff bytes, 25 times the last
        // letter and one whose two low bits are padding (0b11100 = 28 -> 'h').
        assert_eq!(encode(&[0; 16]), "y".repeat(26));
        assert_eq!(encode(&[0xff; 16]), format!("{}h", "9".repeat(25)));
        // 0x80 then zeros: the first 5-bit group is 0b10000 = 16 -> 'o'.
        let mut high = [0u8; 16];
        high[0] = 0x80;
        assert_eq!(encode(&high), format!("o{}", "y".repeat(25)));
        // The last group is the last 3 data bits and 2 zero bits: 0b001_00 = 4 -> 'r'.
        let mut low = [0u8; 16];
        low[15] = 0x01;
        assert_eq!(encode(&low), format!("{}r", "y".repeat(25)));
    }

    #[test]
    fn valid_ids_are_26_alphanumerics() {
        assert!(is_valid_id("abcdefghijklmnopqrstuvwxyz"));
        assert!(!is_valid_id("abcdefghijklmnopqrstuvwxy"));
        assert!(!is_valid_id("abcdefghijklmnopqrstuvwxy-"));
        assert!(!is_valid_id(""));
    }
}
