"""Web pages for clerks, readers and auditors (Vietnamese, server-rendered).

`mount(app)` adds the pages and their static files to the API's FastAPI app.
Pages sign in with an API key kept in a signed session cookie (`session`),
and use the same auth, query and store functions as the JSON API.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .core import HERE


def mount(app: FastAPI) -> None:
    from . import routes_auth, routes_directives, routes_letters, routes_pilots, routes_trace, routes_upload

    pages = (routes_auth, routes_upload, routes_letters, routes_directives, routes_trace, routes_pilots)
    for module in pages:
        app.include_router(module.router)
    app.mount("/static/web", StaticFiles(directory=HERE / "static"), name="web-static")
