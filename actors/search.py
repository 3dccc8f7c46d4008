"""Text search of organisations.

Both the stored text and the query are normalised the same way: lower case,
umlauts spelled out (ä → ae …), other accents dropped, punctuation gone. So
"Türkisch" finds "Tuerkisch" and the other way round. The document holds the
name, the town, the description and the fields of action (in both languages).

On PostgreSQL the document is searched with German stemming (a tsvector kept by
a trigger, GIN index), every word of the query as a prefix of a word: German
joins words, so "Klima" finds "Klimawandel" and "Afrika" "Afrikanischer
Kulturverein". Whole-word matches rank first. When nothing matches, names are
compared by trigram word similarity (GIN index), which forgives a small typo.
SQLite, for laptops, matches each word as a substring (which finds the parts of
compounds too).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Q, QuerySet

from core.text import normalize_name, normalize_text

if TYPE_CHECKING:
    from .models import FieldOfAction

MAX_QUERY_LENGTH = 200


def search_document(organisation, fields: Iterable[FieldOfAction] | None = None) -> str:
    """What the search reads of an organisation: name, town, description, fields of action."""
    town = organisation.municipality.name if organisation.municipality_id else ""
    if fields is None:
        fields = organisation.fields_of_action.all() if organisation.pk else []
    names = " ".join(f"{field.name_de} {field.name_en}" for field in fields)
    return normalize_text(
        " ".join([organisation.name, town, organisation.description or "", names])
    )


def fill_search_columns(organisation) -> None:
    organisation.search_name = normalize_name(organisation.name)[:250]
    organisation.search_document = search_document(organisation)


def refresh_search_documents(organisation_ids: Iterable[int]) -> None:
    """After the fields of action changed (they are not part of the row's own save)."""
    organisation_model = apps.get_model("actors", "Organisation")  # models import this module
    organisations = (
        organisation_model.objects.filter(pk__in=list(organisation_ids))
        .select_related("municipality")
        .prefetch_related("fields_of_action")
    )
    for organisation in organisations:
        document = search_document(organisation, organisation.fields_of_action.all())
        if document != organisation.search_document:
            # An UPDATE of search_document: the trigger renews the tsvector.
            organisation_model.objects.filter(pk=organisation.pk).update(search_document=document)


def _ts_query(words: str) -> SearchQuery:
    """The words as whole words (stemmed): for ranking exact matches first."""
    return SearchQuery(words, config="german", search_type="plain")


def _prefix_query(words: str) -> SearchQuery:
    """Every word as the beginning of a word (German compounds). `words` holds only
    [a-z0-9] and spaces (normalize_text), so it is safe as tsquery syntax."""
    return SearchQuery(
        " & ".join(f"{word}:*" for word in words.split()), config="german", search_type="raw"
    )


def typo_mode(query: str, queryset: QuerySet) -> bool:
    """Whether a search must forgive typos: PostgreSQL, and the words match nothing in `queryset`.

    Full-text search on its GIN index is fast; trigram word similarity has to
    compare every candidate, so it is the fallback for queries with a typo.
    """
    words = normalize_text(query[:MAX_QUERY_LENGTH])
    if not words or connection.vendor != "postgresql":
        return False
    return not queryset.filter(search_vector=_prefix_query(words)).exists()


def search(queryset: QuerySet, query: str, *, forgive_typos: bool = False) -> QuerySet:
    """Organisations matching the words of `query` (see typo_mode for `forgive_typos`)."""
    words = normalize_text(query[:MAX_QUERY_LENGTH])
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        if forgive_typos:
            return queryset.filter(search_name__trigram_word_similar=words)
        return queryset.filter(search_vector=_prefix_query(words))
    condition = Q()
    for word in words.split():
        condition &= Q(search_document__contains=word)
    return queryset.filter(condition)


def by_relevance(queryset: QuerySet, query: str) -> QuerySet:
    """Best matches first (PostgreSQL); elsewhere by name."""
    words = normalize_text(query[:MAX_QUERY_LENGTH])
    if words and connection.vendor == "postgresql":
        # F(): the stored tsvector itself; a name would be re-parsed as text for every row.
        vector = F("search_vector")
        return queryset.annotate(
            relevance=2 * SearchRank(vector, _ts_query(words))
            + SearchRank(vector, _prefix_query(words))
            + TrigramWordSimilarity(words, "search_name")
        ).order_by("-relevance", "name")
    return queryset.order_by("name")
