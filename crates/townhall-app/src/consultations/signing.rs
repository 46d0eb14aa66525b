//! Anonymous participants: a participant id signed with the store's key, so a cookie (or the
//! `X-Participant` header of an app) proves which participant it is without an account, and cannot be
//! forged or moved to another consultation.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// A verified participant of one consultation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Participant {
    pub consultation_id: i64,
    pub participant_id: i64,
    /// Took part signed in as staff (may take part while the consultation is open to employees only).
    pub employee: bool,
}

/// Signs and checks participant tokens: `{consultation}.{participant}.{e|p}.{hex HMAC-SHA256}`.
pub struct Signer {
    key: [u8; 32],
}

impl Signer {
    pub fn new(key: [u8; 32]) -> Signer {
        Signer { key }
    }

    fn mac(&self, purpose: &str, body: &str) -> HmacSha256 {
        // HMAC pads a key shorter than SHA-256's 64-byte block with zeros; padding it here gives the
        // same MAC without a fallible constructor.
        let mut block = [0u8; 64];
        block[..32].copy_from_slice(&self.key);
        let mut mac = <HmacSha256 as hmac::digest::KeyInit>::new(&block.into());
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(body.as_bytes());
        mac
    }

    fn body(p: &Participant) -> String {
        let kind = if p.employee { "e" } else { "p" };
        format!("{}.{}.{kind}", p.consultation_id, p.participant_id)
    }

    /// The token to keep in the participant's cookie.
    pub fn token(&self, p: &Participant) -> String {
        let body = Signer::body(p);
        let tag = self.mac("participant", &body).finalize().into_bytes();
        format!("{body}.{}", hex(&tag))
    }

    /// The participant a token names, if its signature holds.
    pub fn verify(&self, token: &str) -> Option<Participant> {
        let (body, tag) = token.trim().rsplit_once('.')?;
        let tag = unhex(tag)?;
        self.mac("participant", body).verify_slice(&tag).ok()?;
        let mut parts = body.split('.');
        let consultation_id = parts.next()?.parse().ok()?;
        let participant_id = parts.next()?.parse().ok()?;
        let employee = match parts.next()? {
            "e" => true,
            "p" => false,
            _ => return None,
        };
        parts.next().is_none().then_some(Participant {
            consultation_id,
            participant_id,
            employee,
        })
    }

    /// The anti-forgery token a participant's forms carry (a cross-site page cannot read it).
    pub fn form_token(&self, p: &Participant) -> String {
        let tag = self.mac("form", &Signer::body(p)).finalize().into_bytes();
        hex(&tag[..16])
    }

    pub fn form_token_matches(&self, p: &Participant, token: &str) -> bool {
        let Some(given) = unhex(token) else {
            return false;
        };
        self.mac("form", &Signer::body(p))
            .verify_truncated_left(&given)
            .is_ok()
            && given.len() == 16
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || s.len() > 128 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(byte: u8) -> Signer {
        Signer::new([byte; 32])
    }

    #[test]
    fn a_token_names_its_participant_and_nothing_else() {
        let p = Participant {
            consultation_id: 3,
            participant_id: 41,
            employee: false,
        };
        let token = signer(1).token(&p);
        assert_eq!(signer(1).verify(&token), Some(p));
        // Another store's key, a changed id, a changed kind, a cut tag: all refused.
        assert_eq!(signer(2).verify(&token), None);
        assert_eq!(signer(1).verify(&token.replacen("3.41", "3.42", 1)), None);
        assert_eq!(signer(1).verify(&token.replacen(".p.", ".e.", 1)), None);
        assert_eq!(signer(1).verify(&token[..token.len() - 2]), None);
        assert_eq!(signer(1).verify("3.41.p"), None);
        assert_eq!(signer(1).verify(""), None);
    }

    #[test]
    fn form_tokens_are_per_participant() {
        let a = Participant {
            consultation_id: 1,
            participant_id: 1,
            employee: true,
        };
        let b = Participant {
            participant_id: 2,
            ..a
        };
        let s = signer(7);
        assert!(s.form_token_matches(&a, &s.form_token(&a)));
        assert!(!s.form_token_matches(&b, &s.form_token(&a)));
        assert!(!s.form_token_matches(&a, ""));
        assert!(!s.form_token_matches(&a, "zz"));
    }
}
