"""The graph of a task or a letter, in the shape `service.links.svg.render` draws, linked to the pages.

`links.trace.letter_graph` already is that shape; a task's trace
(`links.trace.directive_trace`) is a tree of cited and citing letters, laid out
here in the same layers: cited letters left, the assigning letter in the middle,
follow-ups right, pilots below.
"""

from __future__ import annotations

from typing import Any


def page_href(node: dict[str, Any]) -> str | None:
    if node["kind"] == "letter":
        return f"/van-ban/{node['letter']}"
    if node["kind"] == "pilot":
        return f"/thi-diem/{node['pilot']}"
    return None  # a placeholder: the cited letter is not in the register yet


def for_pages(graph: dict[str, Any]) -> dict[str, Any]:
    """The graph with every node linking to its web page instead of its API resource."""
    return {**graph, "nodes": [{**n, "href": page_href(n)} for n in graph["nodes"]]}


def _letter_node(ref: dict[str, Any], layer: int) -> dict[str, Any]:
    return {"id": f"letter:{ref['id']}", "kind": "letter", "layer": layer, "letter": ref["id"],
            "number": ref.get("number"), "date": ref.get("date"), "issuer": ref.get("issuer"),
            "subject": ref.get("subject")}


def directive_graph(trace: dict[str, Any]) -> dict[str, Any]:
    letter = trace["letter"]
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []
    centre = _letter_node(letter, 0)
    nodes[centre["id"]] = centre

    def cited(items: list[dict[str, Any]], source: str, layer: int) -> None:
        for item in items:
            if item.get("letter"):
                node = _letter_node(item["letter"], layer)
            else:
                node = {"id": f"placeholder:{item['number']}", "kind": "placeholder", "layer": layer,
                        "number": item["number"], "date": item.get("date"), "issuer": item.get("issuer")}
            nodes.setdefault(node["id"], node)
            edges.append({"from": source, "to": node["id"], "kind": "cites", "as": item["number"]})
            cited(item.get("cites") or [], node["id"], layer - 1)

    def citing(items: list[dict[str, Any]], target: str, layer: int) -> None:
        for item in items:
            node = nodes.setdefault(f"letter:{item['letter']['id']}", _letter_node(item["letter"], layer))
            edges.append({"from": node["id"], "to": target, "kind": "cites", "as": item.get("cited_as")})
            citing(item.get("cited_by") or [], node["id"], layer + 1)

    cited(trace.get("cites") or [], centre["id"], -1)
    citing(trace.get("cited_by") or [], centre["id"], 1)
    for link in trace.get("pilots") or []:
        pilot = link["pilot"]
        node = {"id": f"pilot:{pilot['id']}", "kind": "pilot", "layer": 0, "pilot": pilot["id"],
                "solution": pilot["solution"], "status": pilot["status"]}
        nodes.setdefault(node["id"], node)
        edges.append({"from": centre["id"], "to": node["id"], "kind": "concerns", "state": link["state"]})
    graph = {"letter": letter["id"], "nodes": list(nodes.values()), "edges": edges}
    return for_pages(graph)


def node_lists(graph: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The picture's nodes as lists (cited, citing, pilots): its links for screen readers and keyboards."""
    nodes = graph["nodes"]
    return {
        "cited": sorted((n for n in nodes if n["kind"] in ("letter", "placeholder") and n["layer"] < 0),
                        key=lambda n: -n["layer"]),
        "citing": sorted((n for n in nodes if n["kind"] == "letter" and n["layer"] > 0),
                         key=lambda n: n["layer"]),
        "pilots": [n for n in nodes if n["kind"] == "pilot"],
    }
