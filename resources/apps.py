from django.apps import AppConfig, apps
from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


def sync_vocabulary_terms(sender, using="default", **kwargs):
    from resources.models import Term
    from resources.vocabularies import sync_vocabularies

    # Skip when migrating backwards to before the table existed.
    if Term._meta.db_table in connections[using].introspection.table_names():
        sync_vocabularies(Term, using=using)


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Listings"

    def ready(self):
        # After every migrate (and after the test runner flushes the database) the
        # vocabulary table matches resources/vocabularies.py.
        post_migrate.connect(sync_vocabulary_terms, sender=self)
        self.connect_search_signals()
        # Kept public pages and figures (the home page's counts among them) are left
        # behind on every save, including saves made by management commands.
        from resources import public_cache

        public_cache.connect_signals()

    def connect_search_signals(self):
        """Keep each listing's stored search text in step with what it is made of."""
        from resources import search_index
        from resources.models import Listing, ListingText, Organization, Term

        # A typed listing (Clinician, SupportGroup…) sends post_save as its own class.
        for model in apps.get_models():
            if issubclass(model, Listing):
                post_save.connect(search_index.refresh_saved_listing, sender=model)
        m2m_changed.connect(
            search_index.refresh_listings_with_changed_terms, sender=Listing.terms.through
        )
        # Other apps declare the rows they copy in from their own ready() (groups: fellowships).
        search_index.copy_text_from(Organization, "organization")
        search_index.copy_text_from(Term, "terms")
        # A curator's Spanish summary and description are searched too.
        for signal in (post_save, post_delete):
            signal.connect(search_index.refresh_listing_of_text, sender=ListingText)
        post_migrate.connect(search_index.index_unindexed_listings, sender=self)
