//! The script step: the Studio script a test contact spawns (`script_path`), fetched from the
//! tenant and linted as `lint --studio-script` lints it, so that a contact that never leaves
//! PreQueue is explained by the script before anyone reads its history.

use std::sync::Arc;
use std::time::Instant;

use cxone_client::{ContactCenter, Media, Profile, Sweep, Truncated};
use handover_lint::studio::{self, SkillFact};

use super::Plan;
use super::findings::{call_finding, call_findings, count_findings, finding};
use super::rules;
use crate::report::{Located, RecordReport, Status, Step, StepId};
use handover_core::Finding;

/// The tenant's skills as the Studio rules check REQAGENT against them (HD977-HD979); the
/// truncation when the list was longer than the page cap, since a skill missing from a partial
/// list is not missing from the tenant.
pub fn skill_facts(sweep: &Sweep) -> Result<Vec<SkillFact>, &Truncated> {
    if let Some(truncated) = &sweep.truncated {
        return Err(truncated);
    }
    Ok(sweep
        .queues
        .iter()
        .map(|skill| SkillFact {
            id: skill.id.trim().parse().unwrap_or_default(),
            name: skill.name.clone(),
            // A skill whose state is not reported is not called inactive.
            active: skill.active.unwrap_or(true),
            media_type: skill.media.map_or(0, Media::id),
        })
        .collect())
}

/// The script step, when it applies: `diagnose` on cxone (routing-v2 has no Studio scripts) with
/// a `script_path`. Only GETs: the script and the skills.
pub(super) async fn script_step(
    plan: &Plan,
    client: &impl ContactCenter,
    signed_in: bool,
) -> Option<Step> {
    let path = plan.script_path.as_deref().map(str::trim)?;
    if !plan.runs(StepId::Script) || path.is_empty() || client.profile() != Profile::Cxone {
        return None;
    }
    if !signed_in {
        return Some(Step::skip(StepId::Script, "auth failed"));
    }
    let started = Instant::now();
    let before = client.stats();
    let bytes = match client.studio_script(path).await {
        Ok(bytes) => bytes,
        // Reading scripts is a permission of its own: a key that may place contacts may lack it,
        // and that is no fault of the handover. The step says it did not run.
        Err(e) if e.status() == Some(403) => {
            return Some(Step::skip(
                StepId::Script,
                format!(
                    "the access key may not read Studio scripts, so script {path} was not checked ({e})"
                ),
            ));
        }
        Err(e) if e.status() == Some(404) => {
            let finding = finding(
                &rules::SCRIPT_NOT_FOUND,
                format!("the tenant has no Studio script at script_path `{path}` ({e})"),
            );
            return Some(Step::new(
                StepId::Script,
                started,
                format!("script {path}"),
                vec![finding],
            ));
        }
        Err(e) => {
            return Some(Step::new(
                StepId::Script,
                started,
                format!("script {path}"),
                vec![call_finding(&e, StepId::Script)],
            ));
        }
    };
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    match client.queues().await {
        Ok(sweep) => match skill_facts(&sweep) {
            Ok(skills) => {
                studio::lint_script_with_skills(path, &bytes, &skills, &mut findings);
            }
            Err(truncated) => {
                notes.push(format!(
                    "skills not checked: {} held more than {} pages",
                    truncated.endpoint, truncated.pages
                ));
                studio::lint_script(path, &bytes, &mut findings);
            }
        },
        Err(e) => {
            notes.push(format!("skills not checked: {e}"));
            studio::lint_script(path, &bytes, &mut findings);
        }
    }
    handover_core::settings::relevel(&plan.levels, &mut findings);
    let text = String::from_utf8_lossy(&bytes);
    let record = RecordReport::new(
        Arc::from(format!("studio:{path}")),
        Some(handover_lint::Kind::StudioScript.name()),
        1,
        0,
        &text,
        findings,
        true,
    );
    let mut detail = if record.findings.is_empty() {
        format!("Studio script {path} linted (HD970-HD979): no findings")
    } else {
        format!("Studio script {path}: {}", count_findings(&record.findings))
    };
    for note in notes {
        detail += &format!("; {note}");
    }
    let calls = call_findings(&before, &client.stats(), plan.slow_call);
    let mut step = Step::new(StepId::Script, started, detail, calls);
    step.status = step.status.max(Status::of(&record.findings));
    step.record = Some(record);
    Some(step)
}

/// An HD805 ("never reached Queued") explained by what the script step found: a script with no
/// REQAGENT never moves a contact out of PreQueue.
pub(super) fn explain_dropped_contact(steps: &mut [Step]) {
    let script: Vec<Finding> = steps
        .iter()
        .filter(|s| s.id == StepId::Script)
        .flat_map(Step::all_findings)
        .map(|l| l.finding.clone())
        .collect();
    let dropped = steps
        .iter_mut()
        .filter(|s| s.id == StepId::Simulate)
        .flat_map(|s| s.findings.iter_mut());
    explain_dropped(dropped, &script, "the script step found why");
}

/// Adds to each HD805 among `dropped` the reason a lint of the contact's script gives, its HD970
/// (no REQAGENT), after `lead`, which says how sure that is.
pub(crate) fn explain_dropped<'a>(
    dropped: impl Iterator<Item = &'a mut Located>,
    script: &[Finding],
    lead: &str,
) {
    let Some(why) = script
        .iter()
        .find(|f| std::ptr::eq(f.rule, &studio::rules::NO_REQAGENT))
        .map(|f| f.message.clone())
    else {
        return;
    };
    for located in dropped.filter(|l| std::ptr::eq(l.finding.rule, &rules::CONTACT_DROPPED)) {
        located.finding.message += &format!("; {lead}: {why} (HD970)");
    }
}
