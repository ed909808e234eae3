"""Pelican's name for pelican-chatlog: ``pelican.plugins.chatlog``.

Pelican finds plugins as namespace packages under ``pelican.plugins`` (it
reads no entry points), so this thin module is what makes the plugin load
on a site with no ``PLUGINS`` setting and under the short name
``PLUGINS = ["chatlog"]``.  The code lives in ``pelican_chatlog``, which
stays the importable package (``PLUGINS = ["pelican_chatlog"]`` works too).
"""

from pelican_chatlog import register

__all__ = ["register"]
