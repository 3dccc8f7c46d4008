"""Text search of organisations.

Both the stored text and the query are normalised the same way: lower case,
umlauts spelled out (ä → ae …), other accents dropped, punctuation gone. So
"Türkisch" finds "Tuerkisch" and the other way round. On PostgreSQL the
document is searched with German stemming (a tsvector kept by a trigger, GIN
index); when that finds nothing, names are compared by trigram word
similarity (GIN index), which forgives a small typo. SQLite, for laptops,
matches each word as a substring.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import Q, QuerySet

from core.text import normalize_name, normalize_text

MAX_QUERY_LENGTH = 200


def fill_search_columns(organisation) -> None:
    organisation.search_name = normalize_name(organisation.name)[:250]
    town = ""
    if organisation.municipality_id:
        town = organisation.municipality.name
    organisation.search_document = normalize_text(
        " ".join([organisation.name, town, organisation.description or ""])
    )


def _ts_query(words: str) -> SearchQuery:
    return SearchQuery(words, config="german", search_type="plain")


def typo_mode(query: str, queryset: QuerySet) -> bool:
    """Whether a search must forgive typos: PostgreSQL, and the words match nothing in `queryset`.

    Full-text search on its GIN index is fast; trigram word similarity has to
    compare every candidate, so it is the fallback for queries with a typo.
    """
    words = normalize_text(query[:MAX_QUERY_LENGTH])
    if not words or connection.vendor != "postgresql":
        return False
    return not queryset.filter(search_vector=_ts_query(words)).exists()


def search(queryset: QuerySet, query: str, *, forgive_typos: bool = False) -> QuerySet:
    """Organisations matching the words of `query` (see typo_mode for `forgive_typos`)."""
    words = normalize_text(query[:MAX_QUERY_LENGTH])
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        if forgive_typos:
            return queryset.filter(search_name__trigram_word_similar=words)
        return queryset.filter(search_vector=_ts_query(words))
    condition = Q()
    for word in words.split():
        condition &= Q(search_document__contains=word)
    return queryset.filter(condition)


def by_relevance(queryset: QuerySet, query: str) -> QuerySet:
    """Best matches first (PostgreSQL); elsewhere by name."""
    words = normalize_text(query[:MAX_QUERY_LENGTH])
    if words and connection.vendor == "postgresql":
        return queryset.annotate(
            relevance=SearchRank("search_vector", _ts_query(words))
            + TrigramWordSimilarity(words, "search_name")
        ).order_by("-relevance", "name")
    return queryset.order_by("name")
