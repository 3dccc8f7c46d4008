"""Search that finds what a German speaker means: parts and beginnings of compound words.

A set of queries with the organisations each must find and must not find. Ranking puts
whole-word matches before beginnings of words. The search document follows changes of
an organisation's fields of action.
"""

import pytest
from django.db import connection

from actors.models import Organisation
from actors.search import by_relevance, search
from tests.actors.factories import FieldOfActionFactory, OrganisationFactory
from tests.engagements.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

ORGANISATIONS = {
    "afrikanisch": ("Afrikanischer Kulturverein Duisburg e. V.", "Kultur und Begegnung.", []),
    "bruecke": ("Afrika-Brücke Hochfeld e. V.", "Projekte in Ghana und Nigeria.", ["klima"]),
    "frauen": ("Nigerianische Frauengemeinschaft Ruhr e. V.", "Gesundheit in Lagos.", []),
    "umwelt": ("Türkisch-Deutscher Umweltverein Marxloh e. V.", "Bäume pflanzen.", ["klima"]),
    "schule": ("Eine-Welt-Initiative West e. V.", "Globales Lernen an Schulen.", ["bildung"]),
    "kultur": ("Kulturverein Anatolien e. V.", "Feste und Sprachkurse.", []),
}
# query -> (must find, must not find)
QUERIES = {
    "Klima": ({"bruecke", "umwelt"}, {"afrikanisch", "frauen", "schule", "kultur"}),
    "Afrika": ({"afrikanisch", "bruecke"}, {"frauen", "umwelt", "schule", "kultur"}),
    "Kultur": ({"afrikanisch", "kultur"}, {"bruecke", "frauen", "umwelt", "schule"}),
    "Frauen": ({"frauen"}, {"afrikanisch", "bruecke", "umwelt", "schule", "kultur"}),
    "Bildung": ({"schule"}, {"afrikanisch", "bruecke", "frauen", "umwelt", "kultur"}),
    "Umwelt Marxloh": ({"umwelt"}, {"afrikanisch", "bruecke", "frauen", "schule", "kultur"}),
    "Duisburg": (set(ORGANISATIONS), set()),  # the town
    "Schulen": ({"schule"}, {"kultur"}),
    "Tuerkisch": ({"umwelt"}, {"kultur"}),
}


@pytest.fixture
def directory(db):
    fields = {
        "klima": FieldOfActionFactory(slug="klima", name_de="Klimawandel und Umwelt",
                                      name_en="Climate change and environment"),
        "bildung": FieldOfActionFactory(slug="bildung", name_de="Bildungsarbeit",
                                        name_en="Education"),
    }  # fmt: skip
    town = MunicipalityFactory(name="Duisburg")
    found = {}
    for key, (name, description, field_keys) in ORGANISATIONS.items():
        organisation = OrganisationFactory(name=name, description=description, municipality=town)
        organisation.fields_of_action.set([fields[k] for k in field_keys])
        found[key] = organisation.pk
    return found, fields


@pytest.mark.parametrize("query", list(QUERIES))
def test_a_german_query_finds_what_it_means(directory, query):
    ids, _fields = directory
    must, must_not = QUERIES[query]
    found = set(search(Organisation.objects.all(), query).values_list("pk", flat=True))

    assert {ids[k] for k in must} <= found, query
    assert not {ids[k] for k in must_not} & found, query


def test_whole_words_rank_before_beginnings_of_words(directory, postgres_only):
    ids, _fields = directory
    ranked = list(
        by_relevance(search(Organisation.objects.all(), "Kultur"), "Kultur").values_list(
            "pk", flat=True
        )
    )
    # "Kultur und Begegnung" has the whole word; "Kulturverein" only begins with it, twice.
    assert ranked[0] == ids["afrikanisch"]


def test_the_search_follows_changes_of_the_fields_of_action(directory):
    ids, fields = directory
    organisation = Organisation.objects.get(pk=ids["kultur"])
    assert not search(Organisation.objects.all(), "Klima").filter(pk=organisation.pk).exists()

    organisation.fields_of_action.add(fields["klima"])
    assert search(Organisation.objects.all(), "Klima").filter(pk=organisation.pk).exists()

    fields["klima"].name_de = "Nachhaltigkeit"
    fields["klima"].name_en = "Sustainability"
    fields["klima"].save()
    assert search(Organisation.objects.all(), "Nachhaltigkeit").filter(pk=organisation.pk).exists()
    organisation.fields_of_action.clear()
    assert not search(Organisation.objects.all(), "Nachhalt").filter(pk=organisation.pk).exists()


def test_the_prefix_search_uses_the_index(directory, postgres_only):
    with connection.cursor() as cursor:  # a handful of rows: the planner would scan them
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search(Organisation.objects.all(), "Klima Afrika").explain()
    assert "actors_org_search_vector_gin" in plan


def test_facets_of_a_typo_search_count_what_the_list_shows(directory, postgres_only):
    from collections import Counter

    from django.http import QueryDict

    from actors.filters import facet_counts
    from actors.search import typo_mode

    query = "Afrikanisher"  # a typo: no word begins like this
    everything = Organisation.objects.all()
    assert typo_mode(query, everything)
    shown = search(everything, query, forgive_typos=True)
    counts = facet_counts(QueryDict(f"q={query}"), everything, forgive_typos=True)

    assert shown.exists()
    assert counts["scope"] == dict(Counter(shown.values_list("scope", flat=True)))
    assert sum(counts["kind"].values()) == shown.count()
