"""The sidebar at program scale: a module's pages are in the navigation only on that module's pages.

MkDocs renders the whole navigation into every page. With every module listed, each module added
costs a little on every other page, and the build grows with the square of the catalog (96 to 192
modules cost twice as much per module as 24 to 96). The topic and category pages list the modules;
the sidebar shows the way to the page being read: Topics > category > module > its sessions.

MkDocs still sees the full navigation (`peerpress.pages.nav`), so parents, the active trail and the
previous/next links in the footer are its own; only what the theme renders is scoped, per page.
"""

from __future__ import annotations

import re

from mkdocs.structure.nav import Navigation, Section

MODULE_INDEX = re.compile(r"^modules/[^/]+/index\.md$")


class ScopedNav:
    """Takes module sections out of their category; `show` puts one back while its page renders."""

    def __init__(self, nav: Navigation) -> None:
        self._modules = {id(section): section for section in _sections(nav.items) if _is_module(section)}
        for section in self._modules.values():
            section.parent.children.remove(section)  # `section.parent` stays: the active trail needs it
        self._shown: Section | None = None

    def show(self, page) -> None:
        """Before `page` renders: its module's section appears under its category."""
        self.hide()
        section = page.parent
        if section is not None and id(section) in self._modules:
            section.parent.children.append(section)
            self._shown = section

    def hide(self) -> None:
        """After a page rendered: the navigation lists categories only again."""
        if self._shown is not None:
            self._shown.parent.children.remove(self._shown)
            self._shown = None


def _sections(items) -> list[Section]:
    found = []
    for item in items:
        if item.is_section:
            found += [item, *_sections(item.children)]
    return found


def _is_module(section: Section) -> bool:
    first = section.children[0] if section.children else None
    return (section.parent is not None and first is not None and first.is_page
            and MODULE_INDEX.match(first.file.src_uri) is not None)
