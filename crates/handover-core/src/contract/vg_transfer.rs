//! The `vg-transfer` contract: a Voice Gateway Transfer node's settings (`transferTarget`,
//! `customHeaders` as an object; the deprecated Generic and AudioCodes nodes: `headers` as
//! `[{name, value}]`) or the verb it sends (`dial` with `target`, `sip:refer` with `referTo`,
//! `headers` as an object).

use super::{Contract, has_root_key};
use crate::engine::{At, Context};
use crate::json::{Document, Kind, quote};
use crate::phone;
use crate::rules;

pub struct VgTransfer;

/// Headers meant for the carrier, not for Studio: they need no `X-`.
const NETWORK_HEADERS: &[&str] = &[
    "P-Asserted-Identity",
    "P-Preferred-Identity",
    "Privacy",
    "Diversion",
    "History-Info",
    "Remote-Party-ID",
    "Referred-By",
];
const UUI_WARN: usize = 128;
const UUI_MAX: usize = 256;
const LINE_MAX: usize = 1024;
const ALL_MAX: usize = 4000;

impl Contract for VgTransfer {
    fn name(&self) -> &'static str {
        "vg-transfer"
    }

    fn description(&self) -> &'static str {
        "a Voice Gateway Transfer node's settings or its dial / sip:refer verb: target and SIP headers"
    }

    fn claims(&self, doc: &Document<'_>) -> bool {
        has_root_key(
            doc,
            &["transferTarget", "transferType", "referTo", "customHeaders"],
            false,
        ) || doc.get(0, "verb").is_some_and(|v| {
            doc.kind(v) == Kind::String
                && matches!(doc.str(v).as_ref(), "dial" | "sip:refer" | "refer")
        })
    }

    fn check(&self, cx: &mut Context<'_, '_>) {
        check_targets(cx);
        check_headers(cx);
    }
}

fn is_uri(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    ["sip:", "sips:", "tel:"].iter().any(|scheme| {
        lower
            .strip_prefix(scheme)
            .is_some_and(|rest| !rest.trim().is_empty() && !rest.contains(char::is_whitespace))
    })
}

fn check_target(cx: &mut Context<'_, '_>, node: usize, field: &str) {
    let doc = cx.doc;
    if doc.kind(node) != Kind::String {
        cx.report(
            &rules::TRANSFER_TARGET_INVALID,
            At::Value(node),
            format!(
                "`{field}` must be a string (E.164 or a SIP URI), found a {}",
                doc.kind(node).name()
            ),
        );
        return;
    }
    if cx.holds_template(node) {
        return;
    }
    let target = doc.str(node);
    if phone::is_e164(&target) || is_uri(&target) {
        return;
    }
    let settings = cx.settings;
    let suggestion = phone::suggest_e164(
        &target,
        settings.default_region.as_deref(),
        settings.numbering_plan.as_ref(),
    );
    let reported = cx.report(
        &rules::TRANSFER_TARGET_INVALID,
        At::Value(node),
        format!(
            "`{field}` {} is neither E.164 nor a sip:, sips: or tel: URI",
            quote(&target)
        ),
    );
    if let Some(e164) = suggestion {
        reported.replace_with(quote(&e164));
    }
}

fn check_targets(cx: &mut Context<'_, '_>) {
    let doc = cx.doc;
    let mut found = false;
    for field in ["transferTarget", "referTo"] {
        if let Some(node) = doc.get(0, field) {
            found = true;
            check_target(cx, node, field);
        }
    }
    if let Some(target) = doc.get(0, "target") {
        found = true;
        match doc.kind(target) {
            Kind::Array => {
                for element in doc.children(target) {
                    let address = ["number", "sipUri", "uri", "name"].iter().find_map(|k| {
                        (doc.kind(element) == Kind::Object)
                            .then(|| doc.get(element, k))
                            .flatten()
                    });
                    match address {
                        Some(node) => check_target(cx, node, "target"),
                        None => {
                            cx.report(
                                &rules::TRANSFER_TARGET_INVALID,
                                At::Value(element),
                                "a dial target needs a `number` or a `sipUri`",
                            );
                        }
                    }
                }
            }
            _ => check_target(cx, target, "target"),
        }
    }
    if !found {
        cx.report(
            &rules::TRANSFER_TARGET_INVALID,
            At::MissingIn(0),
            "no transfer target: set `transferTarget` (node), `referTo` (sip:refer) or `target` (dial)",
        );
    }
}

/// One header as sent: where its name and value stand, and their text.
struct Header {
    name_at: At,
    value_at: At,
    name: String,
    value: String,
}

fn check_headers(cx: &mut Context<'_, '_>) {
    let doc = cx.doc;
    let verb = doc.get(0, "verb").is_some();
    let mut headers = Vec::new();
    let mut holder = None;
    for field in ["customHeaders", "headers"] {
        let Some(node) = doc.get(0, field) else {
            continue;
        };
        holder = Some(node);
        // The current node and the verbs take an object; the deprecated nodes' `headers`, an array.
        let wants_array = field == "headers" && !verb;
        match (doc.kind(node), wants_array) {
            (Kind::Object, false) => collect_object(cx, node, &mut headers),
            (Kind::Array, true) => collect_array(cx, node, &mut headers),
            (Kind::Object, true) => {
                cx.report(
                    &rules::TRANSFER_HEADER_FORMAT,
                    At::Value(node),
                    "`headers` is an object, but the Generic and AudioCodes nodes take [{\"name\": ..., \"value\": ...}]; the current Transfer node calls it `customHeaders`",
                );
            }
            (Kind::Array, false) => {
                cx.report(
                    &rules::TRANSFER_HEADER_FORMAT,
                    At::Value(node),
                    format!("`{field}` is an array, but the current Transfer node and the verbs take an object {{\"X-Name\": \"value\"}}"),
                );
            }
            (other, _) => {
                cx.report(
                    &rules::TRANSFER_HEADER_FORMAT,
                    At::Value(node),
                    format!(
                        "`{field}` must be an object or an array of {{name, value}}, found a {}",
                        other.name()
                    ),
                );
            }
        }
    }
    let mut total = 0;
    for h in &headers {
        let line = h.name.len() + 2 + h.value.len();
        total += line + 2;
        let is_uui = h.name.eq_ignore_ascii_case("User-to-User");
        let x = h
            .name
            .as_bytes()
            .get(..2)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"X-"));
        if !x
            && !NETWORK_HEADERS
                .iter()
                .any(|n| n.eq_ignore_ascii_case(&h.name))
        {
            let message = if is_uui {
                "`User-to-User` does not start with X-: CXone Studio cannot read it; context sent only there may arrive unreadable".to_string()
            } else {
                format!(
                    "`{}` does not start with X-: CXone Studio cannot read it",
                    h.name
                )
            };
            cx.report(&rules::TRANSFER_HEADER_NOT_X, h.name_at, message);
        }
        let chars = h.value.chars().count();
        if is_uui && chars > UUI_MAX {
            cx.report(
                &rules::TRANSFER_UUI_TOO_LONG,
                h.value_at,
                format!(
                    "`User-to-User` is {chars} characters, over the {UUI_MAX} common stacks accept"
                ),
            );
        } else if is_uui && chars > UUI_WARN {
            cx.report(
                &rules::TRANSFER_UUI_LONG,
                h.value_at,
                format!(
                    "`User-to-User` is {chars} characters; many systems drop UUI over {UUI_WARN}"
                ),
            );
        }
        if line > LINE_MAX {
            cx.report(
                &rules::TRANSFER_HEADER_TOO_LONG,
                h.value_at,
                format!(
                    "the `{}` header line is {line} bytes, over {LINE_MAX}",
                    h.name
                ),
            );
        }
    }
    if total > ALL_MAX
        && let Some(node) = holder
    {
        cx.report(
            &rules::TRANSFER_HEADERS_TOO_LARGE,
            At::Value(node),
            format!("the custom headers add up to {total} bytes, over {ALL_MAX}"),
        );
    }
}

fn collect_object(cx: &mut Context<'_, '_>, object: usize, headers: &mut Vec<Header>) {
    let doc = cx.doc;
    for member in doc.children(object) {
        if doc.kind(member) != Kind::String {
            cx.report(
                &rules::TRANSFER_HEADER_NOT_STRING,
                At::Value(member),
                format!(
                    "the value of `{}` must be a string, found a {}",
                    doc.key(member),
                    doc.kind(member).name()
                ),
            );
            continue;
        }
        headers.push(Header {
            name_at: At::Key(member),
            value_at: At::Value(member),
            name: doc.key(member).into_owned(),
            value: doc.str(member).into_owned(),
        });
    }
}

fn collect_array(cx: &mut Context<'_, '_>, array: usize, headers: &mut Vec<Header>) {
    let doc = cx.doc;
    for element in doc.children(array) {
        let (name, value) = match doc.kind(element) {
            Kind::Object => (doc.get(element, "name"), doc.get(element, "value")),
            _ => (None, None),
        };
        let (Some(name), Some(value)) = (name, value) else {
            cx.report(
                &rules::TRANSFER_HEADER_FORMAT,
                At::Value(element),
                "each header in the array must be {\"name\": ..., \"value\": ...}",
            );
            continue;
        };
        let mut strings = true;
        for (node, what) in [(name, "name"), (value, "value")] {
            if doc.kind(node) != Kind::String {
                strings = false;
                cx.report(
                    &rules::TRANSFER_HEADER_NOT_STRING,
                    At::Value(node),
                    format!(
                        "a header's {what} must be a string, found a {}",
                        doc.kind(node).name()
                    ),
                );
            }
        }
        if strings {
            headers.push(Header {
                name_at: At::Value(name),
                value_at: At::Value(value),
                name: doc.str(name).into_owned(),
                value: doc.str(value).into_owned(),
            });
        }
    }
}
