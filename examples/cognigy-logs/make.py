#!/usr/bin/env python3
"""Writes day.jsonl, day.json and day.csv: one day of a Cognigy project's log, the same entries
in the three export formats, with the messages NICE's CXone extension 1.0.9 to 1.0.11 writes
(Cognigy/Extensions, extensions/cxone). Run it here after changing a session.
"""
import csv
import json

URL = "https://cxone.niceincontact.com"
API = "https://api-c32.nice-incontact.com/inContactAPI/services/v33.0"
PARAMS = '[{\\"key\\":\\"reason\\",\\"value\\":\\"billing\\"}]'
rows = []


def session(name, trace, entries):
    for time, msg, *level in entries:
        rows.append({
            "_id": f"6744b1c0e4b0a1{len(rows) + 1:010d}",
            "timestamp": f"2026-11-24T{time}Z",
            "msg": msg,
            "meta": {"sessionId": name, "flowName": "VoiceHandover"},
            "traceId": trace,
            "type": level[0] if level else "info",
        })


def start(contact, spawned, action="Escalate"):
    return f"handoverToCXone: Contact ID: {contact}; Spawned Contact ID: {spawned}; Action: {action}; Environment URL: {URL}"


session("sess-healthy", "trace-0001", [
    ("10:00:00.120", "Flow executed: VoiceHandover"),
    ("10:00:00.130", "setCxoneContextInit: Interaction channel: voiceGateway2"),
    ("10:00:00.131", "setCxoneContextInit: isVoice: true"),
    ("10:00:00.140", 'setCxoneContextInit: Setting context data for channel voiceGateway2: {"flowChannel":"VOICE","contactId":"700000000101","spawnedContactId":"700000000102"}'),
    ("10:00:20.010", start("700000000101", "700000000102")),
    ("10:00:20.011", "handoverToCXone: Interaction channel: voiceGateway2"),
    ("10:00:20.012", "handoverToCXone: isVoice: true"),
    ("10:00:20.013", f'handoverToCXone: prepared optional parameters: ["{PARAMS}"]'),
    ("10:00:20.200", f'CXone API Client: Posting handover signal to URL: {API}/interactions/700000000102/signal with body: {{"p1":"Escalate","p2":"{PARAMS}"}}'),
    ("10:00:20.390", "handoverToCXone: sent signal to CXone for contactId: 700000000102; action: Escalate; status: 202"),
    ("10:00:20.391", "handoverToCXone: Done. No output data sent to Voice / Cognigy Webchat / Cognigy Testchat channel."),
])
# The SIP payload never came: no ids, no signal.
session("sess-no-headers", "trace-0002", [
    ("10:05:00.100", "setCxoneContextInit: Interaction channel: voiceGateway2"),
    ("10:05:00.101", "setCxoneContextInit: isVoice: true"),
    ("10:05:00.102", "setCxoneContextInit: Voice input data not available", "error"),
    ("10:05:30.000", start("", "")),
    ("10:05:30.001", "handoverToCXone: Interaction channel: voiceGateway2"),
    ("10:05:30.002", "handoverToCXone: isVoice: true"),
    ("10:05:30.003", "handoverToCXone: prepared optional parameters: []"),
    ("10:05:30.004", "handoverToCXone: Done. No output data sent to Voice / Cognigy Webchat / Cognigy Testchat channel."),
])
# The signal was refused.
session("sess-signal-failed", "trace-0003", [
    ("10:10:00.000", start("700000000301", "700000000302")),
    ("10:10:00.001", "handoverToCXone: Interaction channel: voiceGateway2"),
    ("10:10:00.002", "handoverToCXone: isVoice: true"),
    ("10:10:00.003", "handoverToCXone: prepared optional parameters: []"),
    ("10:10:00.200", f'CXone API Client: Posting handover signal to URL: {API}/interactions/700000000302/signal with body: {{"p1":"Escalate"}}'),
    ("10:10:00.400", "handoverToCXone: Error signaling CXone with: 'Escalate' for contactId: 700000000302; error: CXone API Client: Error sending handover signal: 401: Unauthorized", "error"),
])
# A Guide Chat escalation: the envelope is the handover.
envelope = {"_cognigy": {"_niceCXOne": {"json": {"text": "", "uiComponent": {}, "data": {"Intent": "Escalate"}, "action": "AGENT_TRANSFER"}}}}
session("sess-chat", "trace-0004", [
    ("10:15:00.000", start("700000000401", "700000000401")),
    ("10:15:00.001", "handoverToCXone: Interaction channel: nice-cxone"),
    ("10:15:00.002", "handoverToCXone: isVoice: false"),
    ("10:15:00.003", "handoverToCXone: prepared optional parameters: []"),
    ("10:15:00.004", "handoverToCXone: Done. Output data was sent to CXone Guide Chat channel: " + json.dumps(envelope, separators=(",", ":"))),
])
# A Cognigy test chat: Context Init's placeholder ids reach Exit Interaction.
session("sess-test-chat", "trace-0005", [
    ("10:20:00.000", "setCxoneContextInit: Interaction channel: adminconsole"),
    ("10:20:00.001", "setCxoneContextInit: isVoice: false"),
    ("10:20:00.002", 'setCxoneContextInit: No valid data found in input for channel adminconsole. Initializing with data: {"contactId":"100000000000","spawnedContactId":"100000000000","flowChannel":"TESTCHAT"}'),
    ("10:20:10.000", start("100000000000", "100000000000")),
    ("10:20:10.001", "handoverToCXone: Interaction channel: adminconsole"),
    ("10:20:10.002", "handoverToCXone: isVoice: false"),
    ("10:20:10.003", "handoverToCXone: Done. No output data sent to Voice / Cognigy Webchat / Cognigy Testchat channel."),
    ("10:20:11.000", "Flow executed: VoiceHandover"),
])
# Signal Interaction signals the main contact; X-CXone-Custom could not be parsed.
session("sess-main-contact", "trace-0006", [
    ("10:25:00.000", "setCxoneContextInit: Interaction channel: voiceGateway2"),
    ("10:25:00.001", "setCxoneContextInit: isVoice: true"),
    ("10:25:00.002", "setCxoneContextInit: Failed to parse X-CXone-Custom header", "warn"),
    ("10:25:00.003", 'setCxoneContextInit: Setting context data for channel voiceGateway2: {"flowChannel":"VOICE","contactId":"700000000601","spawnedContactId":"700000000602"}'),
    ("10:25:40.000", f"sendSignalToCXone: Contact ID: 700000000601; Environment URL: {URL}"),
    ("10:25:40.001", "sendSignalToCXone: Interaction channel: voiceGateway2"),
    ("10:25:40.002", "sendSignalToCXone: isVoice: true"),
    ("10:25:40.200", f'CXone API Client: Sending signal to URL: {API}/interactions/700000000601/signal with body: {{"p1":"Transfer","p2":"billing"}}'),
    ("10:25:40.390", "sendSignalToCXone: sent signal to CXone for contactId: 700000000601; status: 202"),
])
# The export ends before the signal's answer.
session("sess-cut-off", "trace-0007", [
    ("23:59:59.990", start("700000000701", "700000000702")),
    ("23:59:59.991", "handoverToCXone: Interaction channel: voiceGateway2"),
    ("23:59:59.992", "handoverToCXone: isVoice: true"),
])

with open("day.jsonl", "w") as f:
    for row in rows:
        f.write(json.dumps(row, separators=(",", ":")) + "\n")
with open("day.json", "w") as f:
    json.dump(rows, f, indent=2)
    f.write("\n")
with open("day.csv", "w", newline="") as f:
    out = csv.writer(f, lineterminator="\n")
    out.writerow(["_id", "timestamp", "msg", "meta", "traceId", "type"])
    for row in rows:
        out.writerow([row["_id"], row["timestamp"], row["msg"], json.dumps(row["meta"], separators=(",", ":")), row["traceId"], row["type"]])
