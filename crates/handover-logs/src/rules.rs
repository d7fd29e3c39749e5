//! What the bot's logs say about a handover (HD820-HD829): where it broke on the bot's side.
//! Raised by [`crate::handover::Handover::verdicts`].

handover_core::catalog! {
    NOT_SIGNALLED = "HD820", "handover-not-signalled", Error,
        "Exit Interaction ran, but no signal left the bot: empty contact ids, the test chat's placeholder ids, or a channel that is not voice with no chat envelope",
        "Exit Interaction signals only when both ids are set, neither is 100000000000, and the channel's name contains \"voice\". Check that the SIP backchannel sends X-InContact-MasterId and X-InContact-ContactId and that Context Init runs before Exit Interaction.";
    SIGNAL_FAILED = "HD821", "handover-signal-failed", Error,
        "the signal to CXone failed: the extension logged the error",
        "Read the error: a 401 or 403 is the connection's access key, a 404 a contact id that is not a running contact (signal the spawned contact, while it runs), a 5xx CXone itself. The caller heard \"Something is not working. Please retry.\"";
    SIGNAL_TO_MAIN_CONTACT = "HD822", "signal-to-main-contact", Warning,
        "Signal Interaction signalled the main contact, not the spawned one Context Init set",
        "The script that waits in ONSIGNAL runs on the spawned contact (X-InContact-ContactId, `context.data.spawnedContactId`): signal that one.";
    VOICE_PAYLOAD_MISSING = "HD823", "voice-payload-missing", Error,
        "Context Init found no SIP payload on a voice call, so it set no contact ids",
        "The call reached the bot without the SIP data Context Init reads (`input.data.payload.sip.headers`): check the Voice Gateway endpoint and the SIP backchannel script.";
    OUTCOME_UNLOGGED = "HD824", "handover-outcome-unlogged", Warning,
        "Exit Interaction ran with both ids, but the logs hold neither its signal's status nor an error",
        "The export may end before the signal's answer, or the flow stopped in between: widen --until, or look the contact up in CXone.";
    HEADER_DROPPED = "HD825", "sip-header-dropped", Warning,
        "Context Init could not parse an X-CXone header and dropped its data",
        "Build X-CXone, X-CXone-Custom and X-CXone-Extended with JSON encoding in the Studio script, not string concatenation; the contact ids still arrive.";
}
