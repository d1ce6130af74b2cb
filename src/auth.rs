//! Write tokens: who may push. Secrets are kept only as SHA-256 hashes, each naming its holder.
//!
//! A token is given as `HOLDER:SECRET` (flag `--token`, or one per line of `--token-file`), or,
//! so that the file itself holds no secret, as `HOLDER:sha256:HEX`. There is no default token:
//! a server started without any accepts no writes.
//!
//! A running server checks tokens through a [`Keyring`]: the `--token` flags, fixed, plus the
//! token file, read again when it changes (or on SIGHUP), so a token is revoked by deleting its
//! line, without a restart.

use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

use sha2::{Digest, Sha256};

use crate::model::{hex, is_valid_holder, HOLDER_RULE};

/// The shortest secret accepted, in bytes: 128 bits of hex or base64.
pub const MIN_SECRET_LEN: usize = 16;

/// The configured write tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tokens {
    /// (holder, SHA-256 of the secret).
    entries: Vec<(String, [u8; 32])>,
}

/// Why a token could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The token is not `HOLDER:SECRET` or `HOLDER:sha256:HEX`.
    #[error("{source_name}: a token is HOLDER:SECRET or HOLDER:sha256:HEX ({problem})")]
    Malformed {
        /// Where the token came from (`--token` or `file:line`).
        source_name: String,
        /// What is wrong.
        problem: String,
    },
    /// The token file cannot be read.
    #[error("cannot read the token file {path}: {error}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        error: std::io::Error,
    },
}

impl Tokens {
    /// Whether no token is configured (the server then refuses every write).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The holders, in configuration order.
    pub fn holders(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(holder, _)| holder.as_str())
    }

    /// Adds one token written as `HOLDER:SECRET` or `HOLDER:sha256:HEX`.
    pub fn add(&mut self, token: &str, source_name: &str) -> Result<(), TokenError> {
        let malformed = |problem: String| TokenError::Malformed {
            source_name: source_name.to_owned(),
            problem,
        };
        let (holder, secret) = token
            .trim()
            .split_once(':')
            .ok_or_else(|| malformed("no ':' between holder and secret".to_owned()))?;
        if !is_valid_holder(holder) {
            return Err(malformed(format!("holder {holder:?}: {HOLDER_RULE}")));
        }
        let hash = match secret.strip_prefix("sha256:") {
            Some(hex_digest) => parse_hex(hex_digest)
                .ok_or_else(|| malformed("the sha256 hash is not 64 hex digits".to_owned()))?,
            None => {
                if secret.len() < MIN_SECRET_LEN {
                    return Err(malformed(format!(
                        "the secret of {holder} is shorter than {MIN_SECRET_LEN} characters; \
                         make one with `openssl rand -hex 32`"
                    )));
                }
                Sha256::digest(secret.as_bytes()).into()
            }
        };
        self.entries.push((holder.to_owned(), hash));
        Ok(())
    }

    /// Adds every token of a file: one per line; blank lines and `#` comments are skipped.
    pub fn add_file(&mut self, path: &Path) -> Result<(), TokenError> {
        let text = std::fs::read_to_string(path).map_err(|error| TokenError::Io {
            path: path.display().to_string(),
            error,
        })?;
        self.add_text(&text, path)
    }

    /// Adds every token of the text of the file `path`.
    fn add_text(&mut self, text: &str, path: &Path) -> Result<(), TokenError> {
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            self.add(line, &format!("{}:{}", path.display(), number + 1))?;
        }
        Ok(())
    }

    /// The holder of `secret`, if it is a configured token. Compares hashes in constant time.
    pub fn holder_of(&self, secret: &str) -> Option<&str> {
        let presented: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        let mut found = None;
        for (holder, hash) in &self.entries {
            if constant_time_eq(hash, &presented) && found.is_none() {
                found = Some(holder.as_str());
            }
        }
        found
    }
}

/// The tokens a running server accepts: fixed ones (flags) plus those of a token file that may
/// change while the server runs. Cheap to clone; clones share the current set.
#[derive(Debug, Clone)]
pub struct Keyring {
    fixed: Tokens,
    file: Option<PathBuf>,
    current: Arc<RwLock<Loaded>>,
}

#[derive(Debug, Default)]
struct Loaded {
    /// Whether the file was read at least once.
    read: bool,
    /// The file's text as last read (`None`: missing or unreadable).
    text: Option<String>,
    tokens: Tokens,
}

/// What [`Keyring::reload`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reload {
    /// The file is as it was.
    Unchanged,
    /// The file changed and its tokens replaced the old ones.
    Replaced,
}

impl Keyring {
    /// The fixed `tokens` plus those of `file`, read now.
    pub fn new(fixed: Tokens, file: Option<PathBuf>) -> Result<Self, TokenError> {
        let keyring = Self {
            fixed,
            file,
            current: Arc::default(),
        };
        keyring.reload()?;
        Ok(keyring)
    }

    /// The token file, if there is one.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// Reads the token file again; when its text changed, its tokens replace the old ones.
    ///
    /// Fails closed: a file that is missing or has a malformed line leaves only the fixed
    /// tokens in force until it is fixed (a revocation must never be undone by a typo), and the
    /// error says why.
    pub fn reload(&self) -> Result<Reload, TokenError> {
        let Some(path) = &self.file else {
            return Ok(Reload::Unchanged);
        };
        let read = std::fs::read_to_string(path);
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        let text = read.as_ref().ok().cloned();
        if current.read && current.text == text {
            return Ok(Reload::Unchanged);
        }
        current.read = true;
        current.text = text;
        current.tokens = Tokens::default();
        let text = read.map_err(|error| TokenError::Io {
            path: path.display().to_string(),
            error,
        })?;
        let mut tokens = Tokens::default();
        tokens.add_text(&text, path)?;
        current.tokens = tokens;
        Ok(Reload::Replaced)
    }

    /// Whether no token is in force (the server then refuses every write).
    pub fn is_empty(&self) -> bool {
        self.fixed.is_empty()
            && self
                .current
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .tokens
                .is_empty()
    }

    /// The holders of the tokens in force.
    pub fn holders(&self) -> Vec<String> {
        let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
        self.fixed
            .holders()
            .chain(current.tokens.holders())
            .map(str::to_owned)
            .collect()
    }

    /// The holder of `secret`, if it is a token in force.
    pub fn holder_of(&self, secret: &str) -> Option<String> {
        if let Some(holder) = self.fixed.holder_of(secret) {
            return Some(holder.to_owned());
        }
        let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
        current.tokens.holder_of(secret).map(str::to_owned)
    }
}

/// The `sha256:HEX` form of a secret, for token files that should not hold the secret itself.
pub fn hashed(secret: &str) -> String {
    format!("sha256:{}", hex(&Sha256::digest(secret.as_bytes())))
}

fn parse_hex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (index, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(index * 2..index * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

fn constant_time_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_and_its_hash_both_work() -> Result<(), TokenError> {
        let mut tokens = Tokens::default();
        tokens.add("kaleidos:0123456789abcdef0123", "--token")?;
        tokens.add(
            &format!("gent:{}", hashed("fedcba9876543210fedc")),
            "--token",
        )?;
        assert_eq!(tokens.holder_of("0123456789abcdef0123"), Some("kaleidos"));
        assert_eq!(tokens.holder_of("fedcba9876543210fedc"), Some("gent"));
        assert_eq!(tokens.holder_of("0123456789abcdef0124"), None);
        Ok(())
    }

    #[test]
    fn weak_or_malformed_tokens_are_refused() {
        let mut tokens = Tokens::default();
        assert!(tokens.add("kaleidos:short", "--token").is_err());
        assert!(tokens.add("no-colon", "--token").is_err());
        assert!(tokens
            .add("bad holder:0123456789abcdef0123", "--token")
            .is_err());
        assert!(tokens.add("x:sha256:abc", "--token").is_err());
        assert!(tokens.is_empty());
    }

    #[test]
    fn a_token_deleted_from_the_file_stops_working_after_a_reload() -> Result<(), TokenError> {
        let dir = tempfile::tempdir().map_err(|error| TokenError::Io {
            path: "tempdir".to_owned(),
            error,
        })?;
        let path = dir.path().join("tokens");
        let write = |text: &str| std::fs::write(&path, text).expect("the file is written");
        write("kaleidos:0123456789abcdef0123\ngent:fedcba9876543210fedc\n");
        let keyring = Keyring::new(Tokens::default(), Some(path.clone()))?;
        assert_eq!(
            keyring.holder_of("fedcba9876543210fedc").as_deref(),
            Some("gent")
        );
        assert_eq!(keyring.reload()?, Reload::Unchanged);
        write("kaleidos:0123456789abcdef0123\n");
        assert_eq!(keyring.reload()?, Reload::Replaced);
        assert_eq!(keyring.holder_of("fedcba9876543210fedc"), None);
        assert_eq!(
            keyring.holder_of("0123456789abcdef0123").as_deref(),
            Some("kaleidos")
        );
        // A malformed file fails closed.
        write("kaleidos:short\n");
        assert!(keyring.reload().is_err());
        assert_eq!(keyring.holder_of("0123456789abcdef0123"), None);
        assert!(keyring.is_empty());
        Ok(())
    }
}
