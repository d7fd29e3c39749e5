#!/usr/bin/env python3
"""Generate a deterministic JSON Lines corpus of handover payloads.

Each line is one payload as a bot platform would send it at handover:
{"transferContext": {...}}. About 70% are valid; the rest carry the
defects seen in the field (missing or empty queue id, phone numbers not
in E.164, wrong types, unrendered template placeholders, misspelt keys,
bad flowVersionId, customAttributes of the wrong type, ...).

usage: gen_corpus.py N [SEED] > corpus.jsonl

The project's copy of the reference generator in ../shared/bench, so that the bench scripts run
from a clone; a test (crates/handover-doctor/tests/it/bench.rs) checks that both write the same
corpus for the same seed. Change the reference first, then this copy.
"""
import json
import random
import sys
import uuid

FIRST = ["John", "Maria", "Wei", "Aisha", "Lars", "Olga", "Kenji", "Fatima", "Diego", "Chloe"]
LAST = ["Doe", "Garcia", "Chen", "Khan", "Nilsen", "Ivanova", "Sato", "Haddad", "Lopez", "Martin"]
INTENTS = ["billing_inquiry", "tech_support", "cancel_service", "new_order", "password_reset"]
REGIONS = [("+1", 10), ("+44", 10), ("+49", 11), ("+33", 9), ("+61", 9), ("+81", 10)]


def phone(rng):
    cc, n = rng.choice(REGIONS)
    first = str(rng.randint(2, 9))
    rest = "".join(str(rng.randint(0, 9)) for _ in range(n - 1))
    return cc + first + rest


def valid(rng):
    attrs = {
        "intent": rng.choice(INTENTS),
        "confidence": round(rng.random(), 3),
        "language": rng.choice(["en-US", "de-DE", "fr-FR", "ja-JP"]),
        "sessionId": str(uuid.UUID(int=rng.getrandbits(128))),
        "turns": rng.randint(1, 40),
    }
    if rng.random() < 0.3:
        attrs["account"] = {"tier": rng.choice(["gold", "silver"]), "id": rng.randint(10**6, 10**7)}
    ctx = {
        "queueId": str(uuid.UUID(int=rng.getrandbits(128))),
        "participant": {"name": rng.choice(FIRST) + " " + rng.choice(LAST), "phoneNumber": phone(rng)},
        "customAttributes": attrs,
    }
    if rng.random() < 0.4:
        ctx["flowVersionId"] = str(uuid.UUID(int=rng.getrandbits(128)))
    return {"transferContext": ctx}


def defect(rng, p):
    ctx = p["transferContext"]
    kind = rng.randrange(14)
    if kind == 0:
        del ctx["queueId"]
    elif kind == 1:
        ctx["queueId"] = ""
    elif kind == 2:
        del ctx["participant"]
    elif kind == 3:
        ctx["participant"]["phoneNumber"] = ctx["participant"]["phoneNumber"].lstrip("+")
    elif kind == 4:
        ctx["participant"]["phoneNumber"] = int(ctx["participant"]["phoneNumber"].lstrip("+"))
    elif kind == 5:
        ctx["participant"]["phoneNumber"] = "(555) 123-4567"
    elif kind == 6:
        ctx["customAttributes"] = list(ctx["customAttributes"].items())[:2]
    elif kind == 7:
        ctx["flowVersionId"] = "v2-" + str(rng.randint(1, 99))
    elif kind == 8:
        ctx["queueId"] = "{{context.queueId}}"
    elif kind == 9:
        ctx["queueID"] = ctx.pop("queueId")
    elif kind == 10:
        del ctx["participant"]["name"]
    elif kind == 11:
        p = {"transferContex": ctx}
    elif kind == 12:
        ctx["participant"]["phoneNumber"] = "+1 555 123 4567"
    else:
        ctx["participant"]["phoneNumber"] = None
    return p


def main():
    n = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
    out = sys.stdout
    for _ in range(n):
        p = valid(rng)
        if rng.random() < 0.3:
            p = defect(rng, p)
        out.write(json.dumps(p, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
