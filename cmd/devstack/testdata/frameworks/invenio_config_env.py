# invenio-config's environment loader, copied because invenio-config is not installable
# here: invenio_config/env.py, class InvenioConfigEnvironment, at
# https://github.com/inveniosoftware/invenio-config/blob/2f4086ce203827dd0564a254eb5a4a7cac713132/invenio_config/env.py
# (MIT licence, (C) 2015-2018 CERN, 2024 KTH). Only what it does is kept: the INVENIO_
# prefix cut off, each value through ast.literal_eval, the raw string kept when that
# raises SyntaxError or ValueError.

import ast
import os


class InvenioConfigEnvironment(object):
    """Load configuration from environment variables."""

    def __init__(self, app=None, prefix="INVENIO_"):
        self.prefix = prefix
        if app:
            self.init_app(app)

    def init_app(self, app):
        prefix_len = len(self.prefix)
        for varname, value in os.environ.items():
            if not varname.startswith(self.prefix):
                continue

            # Prepare values
            varname = varname[prefix_len:]
            value = value or app.config.get(varname)

            # Evaluate value
            try:
                value = ast.literal_eval(value)
            except (SyntaxError, ValueError):
                pass

            # Set value
            app.config[varname] = value
