"""The congvan service: command line, FastAPI app, storage, jobs, linking, web pages."""
