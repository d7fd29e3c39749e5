//! Reading a JWT's claims for display and discovery. The signature is not checked: the claims say
//! where the tenant lives, they are not trusted for anything else.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

#[derive(Deserialize, Debug, Default, Clone, PartialEq, Eq)]
#[serde(default)]
pub struct Claims {
    #[serde(rename = "tenantId", alias = "tenant_id", alias = "tenantID")]
    pub tenant_id: Option<String>,
    pub iss: Option<String>,
    #[serde(rename = "icBUId", deserialize_with = "optional_id")]
    pub business_unit: Option<String>,
    #[serde(rename = "icClusterId")]
    pub cluster: Option<String>,
    pub sub: Option<String>,
}

fn optional_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
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
}
