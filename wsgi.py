"""The WSGI entry point: `gunicorn wsgi:app`. Settings come from the environment."""

import gc

from register import create_app

app = create_app()
# What starting made (modules, the record definition, the models, the routes: some
# 200,000 objects) lives as long as the process, so the garbage collector is told to leave
# it out rather than walk all of it in its first full collection, which otherwise lands in
# a worker's first large page (the statistics) and costs it about a tenth of a second.
gc.freeze()
