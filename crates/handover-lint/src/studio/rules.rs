//! The Studio script's rules (HD970-HD979), beside the checks that raise them.

handover_core::catalog! {}
