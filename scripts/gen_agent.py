#!/usr/bin/env python3
"""Generate a Cognigy CLI agent directory for the lint benchmark: FLOWS flows of NODES nodes each.

Each flow is a voice handover as the healthy example builds it (Start, Context Init, Exit
Interaction with the ids read from context.data), padded with say/if/code nodes chained with
next and children, with loops back and a few disabled nodes, so that the graph walk does real
work; every tenth flow has an Exit Interaction with a literal contact id (HD960), so findings are
built and reported too. Deterministic for a seed.

usage: gen_agent.py DIR [FLOWS] [NODES] [SEED]
"""
import json
import os
import random
import sys


def node_id(rng):
    return "%024x" % rng.getrandbits(96)


def flow(rng, index, nodes):
    ids = [node_id(rng) for _ in range(nodes)]
    chart_nodes = []
    relations = []
    for i, nid in enumerate(ids):
        if i == 0:
            kind, config = "start", {}
        elif i == 1:
            kind, config = "setCxoneContextInit", {"customerName": "", "businessNumber": "", "flowId": "", "ivaParams": {}}
        elif i == nodes - 1:
            contact = "4711" if index % 10 == 0 else "{{context.data.contactId}}"
            kind, config = "handoverToCXone", {
                "connection": "cxone",
                "environment": "https://cxone.niceincontact.com",
                "action": "Escalate",
                "businessNumber": "",
                "contactId": contact,
                "spawnedContactId": "{{context.data.spawnedContactId}}",
                "optionalParamsObject": [{"key": "reason", "value": "{{input.text}}"}],
            }
        else:
            kind = rng.choice(["say", "if", "code", "question", "setContext"])
            config = {"text": "step %d of flow %d: {{input.text}}" % (i, index), "condition": "input.intent === 'agent'"}
        chart_nodes.append({
            "_id": nid, "type": kind, "label": "%s %d" % (kind, i), "comment": "",
            "isDisabled": 2 < i < nodes - 1 and rng.random() < 0.02,
            "isEntryPoint": i == 0, "localeReference": "01698b110516f6e5a93d54d4",
            "extension": "@cognigy/basic-nodes", "config": config,
        })
        nxt = ids[i + 1] if i + 1 < nodes else None
        children = []
        if kind == "if" and i + 2 < nodes:
            children = [ids[i + 1], ids[min(nodes - 1, i + 2 + rng.randrange(5))]]
            nxt = None
        elif 2 < i < nodes - 2 and rng.random() < 0.05:
            children = [ids[rng.randrange(2, i)]]
        relations.append({"node": nid, "children": children, "next": nxt})
    return {"nodes": chart_nodes, "relations": relations}


def main():
    out = sys.argv[1]
    flows = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    nodes = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
    os.makedirs(os.path.join(out, "flows"), exist_ok=True)
    with open(os.path.join(out, "flows", "locales.json"), "w") as f:
        json.dump([{"_id": "01698b110516f6e5a93d54d4", "name": "en-US"}], f)
    for index in range(flows):
        name = "Flow%03d" % index
        folder = os.path.join(out, "flows", name)
        os.makedirs(os.path.join(folder, "en-US"), exist_ok=True)
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump({"_id": node_id(rng), "name": name, "referenceId": ""}, f)
        with open(os.path.join(folder, "en-US", "chart.json"), "w") as f:
            json.dump(flow(rng, index, nodes), f, indent=2)


if __name__ == "__main__":
    main()
