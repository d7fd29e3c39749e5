//! Layering settings: the layer nearer the user wins wherever it says something.

/// Two layers of the same settings made one. `self` is the layer that wins: what it sets is kept,
/// what it leaves unset is taken from `other`.
pub trait Combine {
    fn combine(self, other: Self) -> Self;
}

/// A list or a map set in one layer replaces the other layer's whole rather than adding to it, so
/// that a layer can always say exactly what it means (`severity` in the environment is the full
/// map, not additions to the file's).
impl<T> Combine for Option<T> {
    fn combine(self, other: Self) -> Self {
        self.or(other)
    }
}

#[cfg(test)]
mod tests {
    use super::Combine;
    use crate::settings::{ApiValue, ConfigFile};

    #[test]
    fn the_winning_layer_keeps_what_it_sets_and_borrows_the_rest() {
        let environment = ConfigFile {
            api: Some(ApiValue::Cxone),
            ..ConfigFile::default()
        };
        let file = ConfigFile {
            api: Some(ApiValue::RoutingV2),
            base_url: Some("http://127.0.0.1:9".into()),
            ..ConfigFile::default()
        };
        let merged = environment.combine(file);
        assert!(matches!(merged.api, Some(ApiValue::Cxone)));
        assert_eq!(merged.base_url.as_deref(), Some("http://127.0.0.1:9"));
        assert!(merged.client_id.is_none());
    }
}
