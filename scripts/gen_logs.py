#!/usr/bin/env python3
"""A day of a busy Cognigy project's log, as a JSON Lines export ({_id, timestamp, msg, meta,
traceId, type}), for scripts/bench-logs.sh: LINES entries, most of them flow chatter, and one
session in forty a voice handover that logs what NICE's CXone extension 1.0.11 logs (start, channel,
isVoice, optional parameters, signal request, status, done). One handover in ten has empty ids.

    scripts/gen_logs.py OUT LINES
"""
import json
import random
import sys

out, lines = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
URL = "https://cxone.niceincontact.com"
API = "https://api-c32.nice-incontact.com/inContactAPI/services/v33.0"
CHATTER = [
    "Flow executed: VoiceHandover",
    "Intent mapped: billing_inquiry (score 0.93)",
    "Say node: output sent",
    "Question node: waiting for input",
    "HTTP Request node: 200 from https://crm.example.com/customers",
]


def handover(session, contact):
    ids = ("", "") if rng.random() < 0.1 else (str(contact), str(contact + 1))
    return [
        f"handoverToCXone: Contact ID: {ids[0]}; Spawned Contact ID: {ids[1]}; Action: Escalate; Environment URL: {URL}",
        "handoverToCXone: Interaction channel: voiceGateway2",
        "handoverToCXone: isVoice: true",
        'handoverToCXone: prepared optional parameters: ["[{\\"key\\":\\"reason\\",\\"value\\":\\"billing\\"}]"]',
        f'CXone API Client: Posting handover signal to URL: {API}/interactions/{ids[1] or 0}/signal with body: {{"p1":"Escalate","p2":"[{{\\"key\\":\\"reason\\",\\"value\\":\\"billing\\"}}]"}}',
        f"handoverToCXone: sent signal to CXone for contactId: {ids[1] or 0}; action: Escalate; status: 202",
        "handoverToCXone: Done. No output data sent to Voice / Cognigy Webchat / Cognigy Testchat channel.",
    ]


with open(out, "w") as f:
    written, session = 0, 0
    while written < lines:
        session += 1
        messages = [rng.choice(CHATTER) for _ in range(rng.randint(10, 40))]
        if session % 40 == 0:
            messages += handover(session, 700_000_000_000 + 2 * session)
        for msg in messages:
            if written == lines:
                break
            entry = {
                "_id": f"{written:024x}",
                "timestamp": f"2026-11-24T{written * 86400 // lines // 3600:02d}:{written * 86400 // lines // 60 % 60:02d}:{written * 86400 // lines % 60:02d}.000Z",
                "msg": msg,
                "meta": {"sessionId": f"session-{session}", "flowName": "VoiceHandover"},
                "traceId": f"trace-{session}",
                "type": "info",
            }
            f.write(json.dumps(entry, separators=(",", ":")) + "\n")
            written += 1
