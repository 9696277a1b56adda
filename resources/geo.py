"""Where a visitor is and how far listings are. Placeholder: replaced by the geocoding work."""


def within_radius(queryset, location, miles):
    raise NotImplementedError
