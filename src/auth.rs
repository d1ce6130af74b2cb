//! Write tokens: who may push. Secrets are kept only as SHA-256 hashes, each naming its holder.
//!
//! A token is given as `HOLDER:SECRET` (flag `--token`, or one per line of `--token-file`), or,
//! so that the file itself holds no secret, as `HOLDER:sha256:HEX`. There is no default token:
//! a server started without any accepts no writes.

use std::path::Path;

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
}
