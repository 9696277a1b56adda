"""The small, safe markup curators write guides in: Markdown, rendered to HTML, then
sanitized with nh3 (the Rust ``ammonia`` sanitizer).

Markdown keeps a guide readable as plain text in the admin and in its history, and the
sanitizer keeps only the handful of tags a guide needs: no script, no style, no event
attributes, no images or frames (a guide never loads anything from elsewhere), and links
only to https, mailto and tel addresses or to pages of this site. A guide's page has its
title as the one ``<h1>``: headings in the body start at ``##``.
"""

import markdown
import nh3

ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "blockquote",
    "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "abbr": {"title"}}
URL_SCHEMES = {"https", "mailto", "tel"}


def render_markdown(text):
    html = markdown.markdown(text, output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
