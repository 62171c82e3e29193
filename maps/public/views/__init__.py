"""Pages people look at. Reads go through querysets; writes go through the API (from the page's
JavaScript), which calls the services. No view here writes to the database."""

from maps.public.views.inputs import input_detail, input_list, input_status
from maps.public.views.pages import accessibility, give, home, privacy
from maps.public.views.photos import photo_attach, photo_show
from maps.public.views.processes import process_detail, process_embed, process_list, process_map_js
from maps.public.views.search import nearest_places, search_page, search_places

__all__ = [
    "accessibility",
    "give",
    "home",
    "input_detail",
    "input_list",
    "input_status",
    "nearest_places",
    "photo_attach",
    "photo_show",
    "privacy",
    "process_detail",
    "process_embed",
    "process_list",
    "process_map_js",
    "search_page",
    "search_places",
]
