//! Reading a JWT's claims for display and discovery. The signature is not checked: the claims say
//! where the tenant lives, they are not trusted for anything else.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

/// The claims discovery and display use. Each is read on its own: a claim of an unexpected type
/// is skipped, and the others still count.
#[derive(Deserialize, Debug, Default, Clone, PartialEq, Eq)]
#[serde(default)]
pub struct Claims {
    #[serde(
        rename = "tenantId",
        alias = "tenant_id",
        alias = "tenantID",
        deserialize_with = "crate::models::some_id"
    )]
    pub tenant_id: Option<String>,
    #[serde(deserialize_with = "crate::models::some_text")]
    pub iss: Option<String>,
    #[serde(rename = "icBUId", deserialize_with = "crate::models::some_id")]
    pub business_unit: Option<String>,
    #[serde(rename = "icClusterId", deserialize_with = "crate::models::some_id")]
    pub cluster: Option<String>,
    #[serde(deserialize_with = "crate::models::some_text")]
    pub sub: Option<String>,
}

/// The claims of a JWT, or `None` when the token is not a JWT (opaque tokens are allowed).
pub fn claims(token: &str) -> Option<Claims> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Builds an unsigned JWT (`alg: none`) with these claims, as the mock tenant issues them.
pub fn unsigned(claims: &serde_json::Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{payload}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_claims_and_tolerates_opaque_tokens() {
        let token = unsigned(&serde_json::json!({
            "tenantId": "11ee-abcd", "iss": "https://auth.example", "icBUId": 4600123, "icClusterId": "c32"
        }));
        let c = claims(&token).unwrap();
        assert_eq!(c.tenant_id.as_deref(), Some("11ee-abcd"));
        assert_eq!(c.business_unit.as_deref(), Some("4600123"));
        assert_eq!(c.iss.as_deref(), Some("https://auth.example"));
        assert_eq!(claims("opaque-token"), None);
        assert_eq!(claims("a.!!!.c"), None);
    }

    #[test]
    fn a_claim_of_an_odd_type_is_skipped_alone() {
        let token = unsigned(&serde_json::json!({
            "tenantId": "11ee-abcd", "iss": ["https://auth.example"], "icBUId": {"id": 1},
            "icClusterId": "c32", "sub": 7
        }));
        let c = claims(&token).unwrap();
        assert_eq!(c.tenant_id.as_deref(), Some("11ee-abcd"));
        assert_eq!(c.cluster.as_deref(), Some("c32"));
        assert_eq!((c.iss, c.business_unit, c.sub), (None, None, None));
    }
}
