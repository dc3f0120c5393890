//! Detached OpenPGP signatures of plugin bundles: the trusted keyring and the streaming check.
//!
//! A bundle `x.tar.gz` comes with `x.tar.gz.sig` (binary or armored). Before the bundle is
//! installed its signature is checked against the public keys an admin configured in
//! `PluginSettings.SignaturePublicKeyFiles`. The bundle is hashed as a stream, so its size never
//! matters for memory.
//!
//! Beyond the bare cryptographic check (what Mattermost's `golang.org/x/crypto/openpgp` call
//! does), a signature is refused when its key is expired or revoked, when the issuing (sub)key is
//! not certified for signing, or when it uses a hash that collisions have broken (MD5, SHA-1,
//! RIPEMD-160): a bundle is code that will run inside the server.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;

use pgp::composed::{Deserializable, DetachedSignature, PublicOrSecret, SignedPublicKey};
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{self, Signature, SignatureType, SubpacketData};
use pgp::types::{Fingerprint, KeyDetails, KeyId, Tag, Timestamp};

/// Public keys trusted to sign plugin bundles.
#[derive(Debug, Clone, Default)]
pub struct Keyring {
    keys: Vec<TrustedKey>,
}

/// One primary key with everything needed to judge a signature by it or by its subkeys, worked
/// out once when the keyring is loaded (self-signatures verified, expiry and flags read).
#[derive(Debug, Clone)]
struct TrustedKey {
    fingerprint: Fingerprint,
    user_id: Option<String>,
    /// The primary key first, then its subkeys.
    components: Vec<Component>,
}

#[derive(Debug, Clone)]
struct Component {
    key: ComponentKey,
    fingerprint: Fingerprint,
    key_id: KeyId,
    /// False when the newest valid self-signature carries key flags without "sign", or (for a
    /// subkey) when no valid binding with a back-signature exists.
    can_sign: bool,
    /// Seconds since the epoch; `None` never expires.
    expires_at: Option<u64>,
    revoked: Option<Revocation>,
}

#[derive(Debug, Clone)]
enum ComponentKey {
    Primary(packet::PublicKey),
    Sub(packet::PublicSubkey),
}

#[derive(Debug, Clone)]
struct Revocation {
    reason: Option<String>,
}

/// Who signed: the primary key's fingerprint (hex, upper case) and its first user id if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub fingerprint: String,
    pub user_id: Option<String>,
}

/// Why a bundle's signature, or a trusted key file, was not accepted.
#[derive(Debug)]
pub enum SignatureError {
    /// The keyring is empty: nothing could be trusted.
    NoKeys,
    /// A key file is unreadable, is not an OpenPGP public key, or holds a secret key.
    KeyFile { origin: String, reason: String },
    /// The signature bytes are not a detached OpenPGP signature.
    Malformed { reason: String },
    /// The signature's issuer (key id or fingerprint, hex) is not in the keyring.
    UnknownKey { issuer: String },
    /// A trusted key made the signature, but not over these bytes: the bundle changed.
    Mismatch { fingerprint: String },
    /// Reading the data failed.
    Io(io::Error),
    /// The signing key (or its primary key) expired; `expired_at` is a UTC date and time.
    KeyExpired { fingerprint: String, expired_at: String },
    /// The signing key (or its primary key) was revoked by its owner.
    KeyRevoked { fingerprint: String, reason: Option<String> },
    /// The issuing key is trusted but not certified for signing (e.g. an encryption subkey).
    NotSigningKey { fingerprint: String },
    /// A signature this verifier will not judge: weak or unknown hash, unknown version, or an
    /// issuer key id that matches several trusted keys.
    Unsupported { reason: String },
}

const KEY_SETTING: &str = "PluginSettings.SignaturePublicKeyFiles";

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::NoKeys => write!(
                f,
                "no public keys are trusted for plugin signatures, so no bundle can be verified; \
                 add the signer's public key to {KEY_SETTING}"
            ),
            SignatureError::KeyFile { origin, reason } => write!(
                f,
                "the key file {origin} cannot be used as a trusted public key: {reason}; \
                 give an OpenPGP public key, exported with `gpg --armor --export KEYID`"
            ),
            SignatureError::Malformed { reason } => write!(
                f,
                "the bundle's signature file is not a detached OpenPGP signature ({reason}); \
                 sign the bundle again with `gpg --detach-sign`"
            ),
            SignatureError::UnknownKey { issuer } => write!(
                f,
                "the bundle's signature was made by key 0x{issuer}, which is not among the \
                 trusted keys ({KEY_SETTING}); add its public key or get the bundle signed by \
                 a trusted key"
            ),
            SignatureError::Mismatch { fingerprint } => write!(
                f,
                "the bundle's signature by trusted key 0x{fingerprint} does not match the \
                 bundle, which has changed since it was signed (or the signature belongs to \
                 another file); get the original bundle or sign this one again"
            ),
            SignatureError::Io(err) => write!(
                f,
                "the bundle could not be read while checking its signature: {err}; check the \
                 file and try again"
            ),
            SignatureError::KeyExpired { fingerprint, expired_at } => write!(
                f,
                "the bundle's signature was made by key 0x{fingerprint}, which expired on \
                 {expired_at}; extend the key's expiry and re-export it into {KEY_SETTING}, or \
                 sign the bundle with a current key"
            ),
            SignatureError::KeyRevoked { fingerprint, reason } => {
                write!(
                    f,
                    "the bundle's signature was made by key 0x{fingerprint}, which its owner \
                     revoked"
                )?;
                if let Some(reason) = reason {
                    write!(f, " ({reason:?})")?;
                }
                write!(f, "; do not install the bundle unless it is signed again with a valid key")
            }
            SignatureError::NotSigningKey { fingerprint } => write!(
                f,
                "the bundle's signature was made by key 0x{fingerprint}, which is trusted but \
                 not certified for signing; sign the bundle with a signing key or subkey"
            ),
            SignatureError::Unsupported { reason } => write!(
                f,
                "the bundle's signature cannot be accepted: {reason}; sign the bundle again \
                 with a current GnuPG"
            ),
        }
    }
}

impl std::error::Error for SignatureError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SignatureError::Io(err) => Some(err),
            _ => None,
        }
    }
}

impl Keyring {
    /// Reads each file: armored (`-----BEGIN PGP PUBLIC KEY BLOCK-----`) or binary, one or more
    /// keys per file.
    pub fn load(files: &[PathBuf]) -> Result<Keyring, SignatureError> {
        let mut keyring = Keyring::default();
        for file in files {
            let origin = file.display().to_string();
            let bytes = std::fs::read(file).map_err(|err| SignatureError::KeyFile {
                origin: origin.clone(),
                reason: format!("it cannot be read ({err})"),
            })?;
            keyring.extend(Keyring::from_bytes(&origin, &bytes)?);
        }
        Ok(keyring)
    }

    /// From bytes (for tests and the server); `origin` names the source in errors.
    pub fn from_bytes(origin: &str, bytes: &[u8]) -> Result<Keyring, SignatureError> {
        let key_file = |reason: String| SignatureError::KeyFile { origin: origin.to_owned(), reason };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(key_file("it is empty".to_owned()));
        }
        let mut keyring = Keyring::default();
        for block in key_blocks(bytes) {
            let (parsed, _) = PublicOrSecret::from_reader_many(block)
                .map_err(|err| key_file(format!("it is not an OpenPGP key ({err})")))?;
            for key in parsed {
                match key.map_err(|err| key_file(format!("it is not an OpenPGP key ({err})")))? {
                    PublicOrSecret::Public(key) => keyring.push(TrustedKey::new(&key)),
                    // A secret key in the server's configuration is a leak waiting to happen;
                    // refuse it rather than quietly using its public half.
                    PublicOrSecret::Secret(_) => {
                        return Err(key_file(
                            "it holds a SECRET key, which must never be given to the server \
                             (delete this file and keep the secret key private)"
                                .to_owned(),
                        ))
                    }
                }
            }
        }
        if keyring.is_empty() {
            return Err(key_file("it holds no public key".to_owned()));
        }
        Ok(keyring)
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The number of primary keys (subkeys are not counted).
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Adds the keys of another keyring (a key already present is kept once).
    pub fn extend(&mut self, other: Keyring) {
        for key in other.keys {
            self.push(key);
        }
    }

    fn push(&mut self, key: TrustedKey) {
        if !self.keys.iter().any(|k| k.fingerprint == key.fingerprint) {
            self.keys.push(key);
        }
    }

    /// The (primary key, component) pairs the signature names as its issuer.
    fn issuers<'a>(&'a self, sig: &Signature) -> Vec<(&'a TrustedKey, &'a Component)> {
        let fingerprints = sig.issuer_fingerprint();
        let key_ids = sig.issuer_key_id();
        let mut found = Vec::new();
        for key in &self.keys {
            for component in &key.components {
                // A fingerprint is authoritative when present; the 64-bit key id is the
                // fallback for signatures that carry only that.
                let matches = if fingerprints.is_empty() {
                    key_ids.contains(&&component.key_id)
                } else {
                    fingerprints.contains(&&component.fingerprint)
                };
                if matches {
                    found.push((key, component));
                }
            }
        }
        found
    }
}

/// Splits an armored file into its `-----BEGIN PGP …` blocks, so that several exported keys
/// simply concatenated into one file all count; binary data is one block.
fn key_blocks(bytes: &[u8]) -> Vec<&[u8]> {
    const BEGIN: &[u8] = b"-----BEGIN PGP ";
    let binary = bytes.first().is_some_and(|b| b & 0x80 != 0);
    let starts: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i..].starts_with(BEGIN)).collect();
    if binary || starts.is_empty() {
        return vec![bytes];
    }
    starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(bytes.len());
            &bytes[start..end]
        })
        .collect()
}

impl TrustedKey {
    fn new(key: &SignedPublicKey) -> TrustedKey {
        let primary = &key.primary_key;
        // Self-signatures that do not verify are ignored rather than fatal: a key may carry
        // third-party certifications, or signatures rPGP cannot check, next to valid ones.
        let mut self_sigs: Vec<&Signature> =
            key.details.direct_signatures.iter().filter(|sig| sig.verify_key(primary).is_ok()).collect();
        for user in &key.details.users {
            self_sigs.extend(
                user.signatures.iter().filter(|sig| sig.verify_certification(primary, Tag::UserId, &user.id).is_ok()),
            );
        }
        let self_sig = newest(self_sigs);
        let revoked = key
            .details
            .revocation_signatures
            .iter()
            .find(|sig| sig.verify_key(primary).is_ok())
            .map(Revocation::from_signature);

        let mut components = vec![Component {
            key: ComponentKey::Primary(primary.clone()),
            fingerprint: primary.fingerprint(),
            key_id: primary.legacy_key_id(),
            can_sign: self_sig.is_none_or(may_sign),
            expires_at: self_sig.and_then(|sig| expiry(primary.created_at(), sig)),
            revoked,
        }];

        for subkey in &key.public_subkeys {
            let sub = &subkey.key;
            let valid = |sig: &&Signature| sig.verify_subkey_binding(primary, sub).is_ok();
            let revoked = subkey
                .signatures
                .iter()
                .filter(|sig| sig.typ() == Some(SignatureType::SubkeyRevocation))
                .find(valid)
                .map(Revocation::from_signature);
            let binding = newest(
                subkey
                    .signatures
                    .iter()
                    .filter(|sig| sig.typ() == Some(SignatureType::SubkeyBinding))
                    .filter(valid)
                    .collect(),
            );
            // A signing subkey must also sign back over the primary key; without that anyone
            // could attach someone else's signing key to their certificate as a subkey.
            let can_sign = binding.is_some_and(|sig| {
                may_sign(sig)
                    && sig
                        .embedded_signature()
                        .is_some_and(|back| back.verify_primary_key_binding(sub, primary).is_ok())
            });
            components.push(Component {
                key: ComponentKey::Sub(sub.clone()),
                fingerprint: sub.fingerprint(),
                key_id: sub.legacy_key_id(),
                can_sign,
                expires_at: binding.and_then(|sig| expiry(sub.created_at(), sig)),
                revoked,
            });
        }

        TrustedKey {
            fingerprint: primary.fingerprint(),
            user_id: key.details.users.first().map(|user| String::from_utf8_lossy(user.id.id()).into_owned()),
            components,
        }
    }

    fn primary(&self) -> Option<&Component> {
        self.components.first()
    }
}

impl Revocation {
    fn from_signature(sig: &Signature) -> Revocation {
        Revocation {
            reason: sig
                .revocation_reason_string()
                .map(|reason| String::from_utf8_lossy(reason).into_owned())
                .filter(|reason| !reason.is_empty()),
        }
    }
}

fn newest(sigs: Vec<&Signature>) -> Option<&Signature> {
    sigs.into_iter().max_by_key(|sig| sig.created().map(Timestamp::as_secs).unwrap_or(0))
}

/// Absent key flags mean "no restriction", as in GnuPG and Go's openpgp.
fn may_sign(sig: &Signature) -> bool {
    let has_flags = sig
        .config()
        .is_some_and(|config| config.hashed_subpackets().any(|p| matches!(p.data, SubpacketData::KeyFlags(_))));
    !has_flags || sig.key_flags().sign()
}

/// Seconds since the epoch when the key expires; a zero or absent validity never expires.
fn expiry(created: Timestamp, sig: &Signature) -> Option<u64> {
    let validity = sig.key_expiration_time()?.as_secs();
    (validity != 0).then(|| u64::from(created.as_secs()) + u64::from(validity))
}

/// Checks a detached signature (armored or binary, detected) over `data`, read as a stream in
/// chunks — the bundle can be large and is never held in memory whole. Accepts a signature made
/// by a primary key or a signing subkey of any key in the keyring.
pub fn verify(keyring: &Keyring, signature: &[u8], data: impl Read) -> Result<Signer, SignatureError> {
    if keyring.is_empty() {
        return Err(SignatureError::NoKeys);
    }
    let signatures = parse_signatures(signature)?;

    // A file may hold several signatures (gpg -u A -u B); like Go's openpgp, judge the first one
    // made by a trusted key, since the data can be streamed only once.
    let mut first_issuer = None;
    let mut chosen = None;
    for sig in &signatures {
        let issuers = keyring.issuers(sig);
        if !issuers.is_empty() {
            chosen = Some((sig, issuers));
            break;
        }
        first_issuer.get_or_insert_with(|| issuer_name(sig));
    }
    let Some((sig, issuers)) = chosen else {
        return Err(SignatureError::UnknownKey { issuer: first_issuer.unwrap_or_default() });
    };
    let [(key, component)] = issuers[..] else {
        return Err(SignatureError::Unsupported {
            reason: format!(
                "it names its issuer only by the key id 0x{}, which several trusted keys share",
                issuer_name(sig)
            ),
        });
    };

    check_algorithms(sig)?;
    check_key_state(key, component)?;

    let mut reader = ErrorKeepingReader { inner: data, error: None };
    let outcome = match &component.key {
        ComponentKey::Primary(k) => sig.verify(k, &mut reader),
        ComponentKey::Sub(k) => sig.verify(k, &mut reader),
    };
    if let Some(err) = reader.error {
        return Err(SignatureError::Io(err));
    }
    outcome.map_err(|_| SignatureError::Mismatch { fingerprint: hex(&component.fingerprint) })?;

    Ok(Signer { fingerprint: hex(&key.fingerprint), user_id: key.user_id.clone() })
}

/// Parses every signature in the file; anything else in it makes the file malformed.
fn parse_signatures(bytes: &[u8]) -> Result<Vec<Signature>, SignatureError> {
    let malformed = |reason: String| SignatureError::Malformed { reason };
    let mut input = BufReader::new(bytes);
    let peeked = input.fill_buf().map_err(|err| malformed(err.to_string()))?;
    if peeked.is_empty() {
        return Err(malformed("the file is empty".to_owned()));
    }
    let (parsed, _) =
        DetachedSignature::from_reader_many(input).map_err(|err| malformed(format!("cannot parse it: {err}")))?;
    let mut signatures = Vec::new();
    for sig in parsed {
        let sig = sig.map_err(|err| malformed(format!("cannot parse it: {err}")))?;
        signatures.push(sig.signature);
    }
    if signatures.is_empty() {
        return Err(malformed("it holds no signature".to_owned()));
    }
    for sig in &signatures {
        match sig.typ() {
            Some(SignatureType::Binary | SignatureType::Text) => {}
            // Version 2/3 or unknown versions parse without a config; rPGP cannot check them.
            None => {
                return Err(SignatureError::Unsupported {
                    reason: format!("its signature version {:?} is not supported", sig.version()),
                })
            }
            Some(other) => return Err(malformed(format!("it is a {other:?} signature, not a signature over a file"))),
        }
        // Go's openpgp refuses these too: without an issuer there is no key to check against.
        if sig.issuer_fingerprint().is_empty() && sig.issuer_key_id().is_empty() {
            return Err(malformed("it does not name the key that made it".to_owned()));
        }
    }
    Ok(signatures)
}

fn check_algorithms(sig: &Signature) -> Result<(), SignatureError> {
    let Some(hash) = sig.hash_alg() else {
        return Err(SignatureError::Unsupported { reason: "its hash algorithm is unknown".to_owned() });
    };
    match hash {
        HashAlgorithm::Sha256
        | HashAlgorithm::Sha384
        | HashAlgorithm::Sha512
        | HashAlgorithm::Sha224
        | HashAlgorithm::Sha3_256
        | HashAlgorithm::Sha3_512 => Ok(()),
        // Collisions in these let a signed harmless bundle stand in for a harmful one.
        HashAlgorithm::Md5 | HashAlgorithm::Sha1 | HashAlgorithm::Ripemd160 => Err(SignatureError::Unsupported {
            reason: format!("it uses the broken hash algorithm {hash} (use SHA-256 or stronger)"),
        }),
        other => Err(SignatureError::Unsupported { reason: format!("it uses the unsupported hash algorithm {other}") }),
    }
}

/// Revocation and expiry of the primary key cover its subkeys too.
fn check_key_state(key: &TrustedKey, component: &Component) -> Result<(), SignatureError> {
    let now = u64::from(Timestamp::now().as_secs());
    let chain = key.primary().into_iter().chain(Some(component));
    for c in chain.clone() {
        if let Some(revocation) = &c.revoked {
            return Err(SignatureError::KeyRevoked {
                fingerprint: hex(&c.fingerprint),
                reason: revocation.reason.clone(),
            });
        }
    }
    for c in chain {
        if let Some(at) = c.expires_at.filter(|&at| at <= now) {
            return Err(SignatureError::KeyExpired { fingerprint: hex(&c.fingerprint), expired_at: utc(at) });
        }
    }
    if !component.can_sign {
        return Err(SignatureError::NotSigningKey { fingerprint: hex(&component.fingerprint) });
    }
    Ok(())
}

fn issuer_name(sig: &Signature) -> String {
    if let Some(fp) = sig.issuer_fingerprint().first() {
        hex(fp)
    } else if let Some(id) = sig.issuer_key_id().first() {
        id.to_string().to_uppercase()
    } else {
        String::new()
    }
}

fn hex(fingerprint: &Fingerprint) -> String {
    format!("{fingerprint:X}")
}

/// `YYYY-MM-DD HH:MM:SS UTC`, without a date crate (civil-from-days, proleptic Gregorian).
fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC", rem / 3_600, rem % 3_600 / 60, rem % 60)
}

/// Passes reads through, but keeps the first I/O error: rPGP folds it into its own error type,
/// and a failing disk must not be reported as a tampered bundle.
struct ErrorKeepingReader<R> {
    inner: R,
    error: Option<io::Error>,
}

impl<R: Read> Read for ErrorKeepingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Err(err) if err.kind() == io::ErrorKind::Interrupted => Err(err),
            Err(err) => {
                let copy = io::Error::new(err.kind(), err.to_string());
                self.error.get_or_insert(err);
                Err(copy)
            }
            ok => ok,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_577_923_200), "2020-01-02 00:00:00 UTC");
        assert_eq!(utc(951_782_400 + 3_661), "2000-02-29 01:01:01 UTC");
    }
}
