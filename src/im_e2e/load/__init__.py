"""Group pressure scenarios (the seed's "群组压测" table) on Locust: see README.md beside this file.

The engine runs in its own process (`python -m im_e2e.load`), because Locust monkey-patches the
standard library with gevent at import time.
"""
