//! The Studio script's rules (HD970-HD980), beside the checks that raise them.

use handover_core::json::{Document, Kind};

use super::{Context, Format, SkillFact};

handover_core::catalog! {
    NO_REQAGENT = "HD970", "script-no-reqagent", Error,
        "the script has no REQAGENT action, so the contact never leaves PreQueue",
        "Add a REQAGENT action on the handover skill where the script handles the escalation (after ONSIGNAL).";
    REQAGENT_SKILL_MISSING = "HD971", "reqagent-skill-missing", Error,
        "a REQAGENT action names no skill",
        "Select the skill the handover targets in the action's Skill property (or a variable that holds it).";
    MULTIPLE_ONSIGNAL = "HD972", "script-multiple-onsignal", Error,
        "the script has more than one ONSIGNAL action; Studio allows only one",
        "Keep one ONSIGNAL event and branch on the signal's parameters (SP1..SPn) after it.";
    NO_ONSIGNAL = "HD973", "script-no-onsignal", Warning,
        "a phone script has no ONSIGNAL action, so the bot's Exit Interaction signal has nowhere to land",
        "Add an ONSIGNAL event that reads SP1..SPn and routes Escalate to a REQAGENT; ignore this if the bot hands over another way (SIP headers, transfer).";
    ONSIGNAL_NO_PATH_TO_REQAGENT = "HD974", "onsignal-no-path-to-reqagent", Warning,
        "no path of branches leads from ONSIGNAL to a REQAGENT, so an Escalate signal cannot reach an agent",
        "Wire ONSIGNAL (through the actions that read the signal's parameters) to the REQAGENT on the handover skill.";
    TEXTBOT_BRANCH_UNWIRED = "HD975", "textbot-branch-unwired", Warning,
        "a TextBotExchange branch is not connected to any action",
        "Connect OnPromptAndCollectNextResponse, OnReturnControlToScript, OnError and Default; NICE warns that unhandled branches drop interactions or route them wrongly.";
    REQAGENT_DEFAULT_UNWIRED = "HD976", "reqagent-default-unwired", Warning,
        "a REQAGENT's default branch is not connected, so nothing holds the contact while it waits",
        "Connect the default branch to a holding pattern (MUSIC looping back to itself, or PLAY and WAIT).";
    REQAGENT_SKILL_UNKNOWN = "HD977", "reqagent-skill-unknown", Error,
        "a REQAGENT's skill is not a skill of the tenant",
        "Select an existing skill in the Skill property, or create the skill in ACD > Contact Settings > Skills.";
    REQAGENT_SKILL_INACTIVE = "HD978", "reqagent-skill-inactive", Warning,
        "a REQAGENT's skill is inactive in the tenant",
        "Activate the skill, or select an active one.";
    REQAGENT_SKILL_NOT_PHONE = "HD979", "reqagent-skill-not-phone", Warning,
        "a phone script's REQAGENT queues on a skill that is not a phone skill",
        "Select a phone skill: a voice handover lands in the queue of the skill REQAGENT names.";
    XML_INVALID = "HD980", "script-xml-invalid", Error,
        "a Desktop Studio script cannot be read: it is not UTF-8, not well-formed XML, or nested too deep",
        "Fix the XML at the marked position, or save the script again from Desktop Studio.";
}

/// `header.mediaType` of a phone script, and of a digital one (ACD media type ids).
const PHONE: u64 = 4;
const DIGITAL: u64 = 9;

/// The four branches NICE's help lists for TextBotExchange.
const TEXTBOT_BRANCHES: [&str; 4] = [
    "OnPromptAndCollectNextResponse",
    "OnReturnControlToScript",
    "OnError",
    "Default",
];

/// Runs every rule; the skill rules only when the caller knows the tenant's skills.
pub(super) fn check(cx: &mut Context<'_, '_>, skills: Option<&[SkillFact]>) {
    let first = cx.findings.len();
    no_reqagent(cx);
    reqagent_skill_missing(cx);
    multiple_onsignal(cx);
    no_onsignal(cx);
    onsignal_no_path_to_reqagent(cx);
    textbot_branch_unwired(cx);
    reqagent_default_unwired(cx);
    if let Some(skills) = skills {
        reqagent_skill(cx, skills);
    }
    cx.findings[first..].sort_by_key(|f| (f.span.start, f.rule.code));
}

/// A script that runs another script may queue the contact there; lint sees only this one.
fn runs_another_script(cx: &Context<'_, '_>) -> bool {
    cx.script
        .actions
        .iter()
        .any(|a| matches!(a.kind.as_str(), "RUNSUB" | "RUNSCRIPT"))
}

fn no_reqagent(cx: &mut Context<'_, '_>) {
    // Digital contacts are queued before the script runs: NICE says REQAGENT is not required there.
    if cx.script.of_kind("REQAGENT").next().is_some()
        || cx.script.media_type == Some(DIGITAL)
        || runs_another_script(cx)
    {
        return;
    }
    let message = format!(
        "script `{}` has no REQAGENT action: a contact it handles is never queued for an agent",
        cx.name
    );
    cx.at_script(&NO_REQAGENT, message);
}

/// The value of a REQAGENT's `Skill` property: its node and text, `None` when absent or empty.
fn skill_value(doc: &Document<'_>, action: &super::Action) -> Option<(usize, String)> {
    let (_, value) = action.property(doc, "Skill")?;
    let value = value?;
    let text = match doc.kind(value) {
        Kind::String => doc.str(value).trim().to_string(),
        Kind::Number => doc.raw(value).to_string(),
        _ => String::new(),
    };
    (!text.is_empty()).then_some((value, text))
}

fn reqagent_skill_missing(cx: &mut Context<'_, '_>) {
    // Properties are read from JSON only: the Desktop XML's are not published.
    let Some(doc) = cx.json() else {
        return;
    };
    let script = cx.script;
    for (_, action) in script.of_kind("REQAGENT") {
        if skill_value(doc, action).is_some() {
            continue;
        }
        let property = action.property(doc, "Skill");
        let message = format!("{}: the Skill property is {}", cx.action_name(action), {
            if property.is_some() {
                "empty"
            } else {
                "missing"
            }
        });
        match property {
            Some((object, value)) => {
                cx.at_node(&REQAGENT_SKILL_MISSING, value.unwrap_or(object), message)
            }
            None => cx.at_action(&REQAGENT_SKILL_MISSING, action, message),
        }
    }
}

fn multiple_onsignal(cx: &mut Context<'_, '_>) {
    let script = cx.script;
    let mut onsignals = script.of_kind("ONSIGNAL");
    let Some((_, first)) = onsignals.next() else {
        return;
    };
    for (_, extra) in onsignals {
        let message = format!(
            "{}: a second ONSIGNAL event; the script already has \"{}\" ({}), and a script can have only one",
            cx.action_name(extra),
            first.label,
            first.id
        );
        cx.at_action(&MULTIPLE_ONSIGNAL, extra, message);
    }
}

fn no_onsignal(cx: &mut Context<'_, '_>) {
    let script = cx.script;
    // The Exit Interaction signals voice contacts only; a chat script escalates through
    // TextBotExchange's OnReturnControlToScript instead. A Desktop script's media type is not
    // read, so whether it takes phone calls is not known.
    let phone = script.media_type.is_none_or(|m| m == PHONE);
    if !phone
        || script.format == Format::DesktopXml
        || script.of_kind("ONSIGNAL").next().is_some()
        || script.of_kind("TEXTBOTEXCHANGE").next().is_some()
    {
        return;
    }
    let message = format!(
        "script `{}` has no ONSIGNAL event: a signal from the bot's Exit Interaction (Escalate or End) is not handled",
        cx.name
    );
    cx.at_script(&NO_ONSIGNAL, message);
}

fn onsignal_no_path_to_reqagent(cx: &mut Context<'_, '_>) {
    let script = cx.script;
    if script.of_kind("REQAGENT").next().is_none() {
        return;
    }
    for (at, onsignal) in script.of_kind("ONSIGNAL") {
        let reached = script.reachable(at);
        if script.of_kind("REQAGENT").any(|(r, _)| reached[r]) {
            continue;
        }
        let message = format!(
            "{}: no path of branches leads from it to a REQAGENT, so an Escalate signal cannot reach an agent",
            cx.action_name(onsignal)
        );
        cx.at_action(&ONSIGNAL_NO_PATH_TO_REQAGENT, onsignal, message);
    }
}

fn textbot_branch_unwired(cx: &mut Context<'_, '_>) {
    let rule = &TEXTBOT_BRANCH_UNWIRED;
    branch_unwired(
        cx,
        "TEXTBOTEXCHANGE",
        &TEXTBOT_BRANCHES,
        rule,
        "so that outcome has no handling",
    );
}

fn reqagent_default_unwired(cx: &mut Context<'_, '_>) {
    let consequence = "so the script ends while the contact waits in queue";
    branch_unwired(
        cx,
        "REQAGENT",
        &["Default"],
        &REQAGENT_DEFAULT_UNWIRED,
        consequence,
    );
}

/// One finding per branch of `branches` that an action of `kind` does not connect.
fn branch_unwired(
    cx: &mut Context<'_, '_>,
    kind: &str,
    branches: &[&str],
    rule: &'static handover_core::Rule,
    consequence: &str,
) {
    let script = cx.script;
    for (_, action) in script.of_kind(kind) {
        for &branch in branches {
            if action.branches.iter().any(|b| b.is(branch) && b.wired) {
                continue;
            }
            let message = format!(
                "{}: the {branch} branch is not connected, {consequence}",
                cx.action_name(action)
            );
            cx.at_action(rule, action, message);
        }
    }
}

fn reqagent_skill(cx: &mut Context<'_, '_>, skills: &[SkillFact]) {
    let Some(doc) = cx.json() else {
        return;
    };
    let script = cx.script;
    let phone = script.media_type.is_none_or(|m| m == PHONE);
    for (_, action) in script.of_kind("REQAGENT") {
        let Some((value, skill)) = skill_value(doc, action) else {
            continue;
        };
        // A variable (`{skillVar}`) is resolved at run time; lint cannot know its value.
        if skill.contains('{') {
            continue;
        }
        let found = skills.iter().find(|s| {
            s.name.eq_ignore_ascii_case(&skill) || skill.parse::<u64>().is_ok_and(|id| id == s.id)
        });
        let at = cx.action_name(action);
        match found {
            None => {
                let message = format!("{at}: the skill `{skill}` is not a skill of the tenant");
                cx.at_node(&REQAGENT_SKILL_UNKNOWN, value, message);
            }
            Some(s) if !s.active => {
                let message = format!("{at}: the skill `{}` ({}) is inactive", s.name, s.id);
                cx.at_node(&REQAGENT_SKILL_INACTIVE, value, message);
            }
            Some(s) if phone && s.media_type != PHONE as u32 => {
                let message = format!(
                    "{at}: the skill `{}` ({}) has media type {}, not phone (4)",
                    s.name, s.id, s.media_type
                );
                cx.at_node(&REQAGENT_SKILL_NOT_PHONE, value, message);
            }
            Some(_) => {}
        }
    }
}
