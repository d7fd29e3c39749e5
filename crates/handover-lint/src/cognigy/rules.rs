//! The flow's rules (HD960-HD969), beside the checks that raise them.

handover_core::catalog! {}
