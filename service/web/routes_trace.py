"""Trace pages: the citation graph around a letter, and the chain behind one task, as pictures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from markupsafe import Markup

from .. import queries
from ..auth import Right
from ..links import svg
from ..links.trace import directive_trace, letter_graph
from ..models import RowId
from . import session
from .core import PageRoute, needs, page, service_of
from .trace_view import directive_graph, for_pages, node_lists

router = APIRouter(route_class=PageRoute, include_in_schema=False)
# The API gives graphs and traces to the history right (auditors); the pages follow it.
Auditor = Annotated[session.Viewer, Depends(needs(Right.TRACE))]


@router.get("/truy-vet/van-ban/{letter_id}")
def letter_trace(request: Request, viewer: Auditor, letter_id: RowId) -> Response:
    with service_of(request).db.read() as s:
        letter = queries.letter_summary(queries.get_letter(s, letter_id))
        graph = for_pages(letter_graph(s, letter_id))
    # svg.render escapes every text it writes: the markup is safe to place in the page.
    return page(request, "trace.html", viewer, letter=letter, directive=None,
                picture=Markup(svg.render(graph)), lists=node_lists(graph))


@router.get("/truy-vet/nhiem-vu/{directive_id}")
def task_trace(request: Request, viewer: Auditor, directive_id: RowId) -> Response:
    with service_of(request).db.read() as s:
        trace = directive_trace(s, directive_id)
        letter = queries.letter_summary(queries.get_letter(s, trace["letter"]["id"]))
    graph = directive_graph(trace)
    return page(request, "trace.html", viewer, letter=letter, directive=trace["directive"], trace=trace,
                picture=Markup(svg.render(graph)), lists=node_lists(graph))
