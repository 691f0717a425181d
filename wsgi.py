"""The WSGI entry point: `gunicorn wsgi:app`. Settings come from the environment."""

import gc

import babel.dates

from register import create_app
from register.completeness import layout
from register.languages import LANGUAGES

app = create_app()
# What every process works out once, whatever it serves, is worked out as it starts rather
# than in its first request: the fingerprint of the questions the statistics count (it
# writes out every condition in full) and each language's dates (Babel reads its locale
# data from disk). Nothing is read from the database here.
with app.app_context():
    layout()
for language in LANGUAGES:
    babel.dates.get_month_names("wide", locale=language)
# What starting made (modules, the record definition, the models, the routes: some
# 200,000 objects) lives as long as the process, so the garbage collector is told to leave
# it out rather than walk all of it in its first full collection, which otherwise lands in
# a worker's first large page (the statistics) and costs it about a tenth of a second.
gc.freeze()
