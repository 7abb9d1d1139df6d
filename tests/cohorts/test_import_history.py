"""The import of the programme's public history (`import_eig_history`).

Expected numbers are counted here straight from the YAML files, independently
of the importer, so the tests follow the data rather than hard-coding it.
"""

import io
import re
import shutil
import stat
import unicodedata
from collections import defaultdict

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from challenges.models import Administration, Challenge, ChallengeMentor, KeyFigure
from cohorts.management.commands.import_eig_history import Command
from cohorts.models import Team, TeamMember
from eig.models import FaqEntry, Person, Promotion, Skill
from tests.conftest import HISTORY_DIR

MODELS = [
    Promotion,
    Skill,
    Administration,
    Challenge,
    KeyFigure,
    Person,
    Team,
    TeamMember,
    ChallengeMentor,
    FaqEntry,
]


def history_folder():
    return HISTORY_DIR


def run_import(folder=None):
    out = io.StringIO()
    call_command("import_eig_history", str(folder or history_folder()), stdout=out)
    return out.getvalue()


def load(name):
    return yaml.safe_load((history_folder() / name).read_text(encoding="utf-8"))


def norm(name):
    name = name.replace("–", "-").replace("—", "-").replace("’", "'")
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c))
    return " ".join(name.split()).casefold()


def expected_per_promotion():
    """{promotion code: (challenges, distinct EIG names)} counted from defis.yml."""
    challenges, eigs = defaultdict(int), defaultdict(set)
    for entry in load("defis.yml").values():
        code = str(entry["promotion"])
        challenges[code] += 1
        eigs[code] |= {norm(name) for name in entry.get("eigs") or []}
    return {code: (challenges[code], len(eigs[code])) for code in challenges}


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def writable_copy(tmp_path):
    folder = tmp_path / "eig-history"
    shutil.copytree(history_folder(), folder)
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return folder


@pytest.mark.django_db
def test_importing_the_real_data_creates_promotions_and_completed_challenges():
    run_import()
    assert Promotion.objects.count() == 5
    assert Challenge.objects.count() == 71
    assert not Challenge.objects.exclude(status=Challenge.Status.COMPLETED).exists()
    assert not Challenge.objects.filter(promotion__isnull=True).exists()
    assert Promotion.objects.get(code="4").name == "EIG 4"
    assert Skill.objects.get(key="droit").label == "Droit du numérique"


@pytest.mark.django_db
def test_counts_per_promotion_match_defis_yml():
    output = run_import()
    for code, (challenges, eigs) in expected_per_promotion().items():
        promotion = Promotion.objects.get(code=code)
        assert promotion.challenges.count() == challenges, code
        members = TeamMember.objects.filter(team__challenge__promotion=promotion)
        assert members.values("person").distinct().count() == eigs, code
        assert f"{promotion.name} : {challenges} défis, {eigs} EIG" in output


@pytest.mark.django_db
def test_every_challenge_with_a_text_file_has_its_markdown_body():
    run_import()
    files = {p.name for p in (history_folder() / "defis").glob("*.md")}
    with_text = []
    for key, entry in load("defis.yml").items():
        year, slug = re.search(r"/defis/(\d{4})/(.+)\.html", entry["link_to"]).groups()
        if f"{year}-01-01-{slug}.md" in files:
            with_text.append(key)
    assert with_text
    empty = Challenge.objects.filter(history_key__in=with_text, body_markdown="")
    assert list(empty.values_list("history_key", flat=True)) == []


@pytest.mark.django_db
def test_adex_is_imported_with_its_figures_team_and_administration():
    run_import()
    adex = Challenge.objects.get(history_key="ADEX")
    assert adex.promotion.code == "4"
    assert adex.key_figures.count() == 3
    assert list(adex.key_figures.values_list("position", flat=True)) == [0, 1, 2]
    assert adex.team.members.count() == 3
    assert adex.team_size == 3
    assert adex.administration.name == "Haute Autorité de Santé"
    assert adex.source_code_url.startswith("https://gitlab.com/")
    assert adex.body_markdown.startswith("Déontologie")
    assert "---" not in adex.body_markdown.splitlines()[0]
    assert set(adex.skills.values_list("key", flat=True)) == {"dev", "design", "datascience"}


@pytest.mark.django_db
def test_a_second_run_creates_and_updates_nothing():
    run_import()
    before = row_counts()
    output = run_import()
    assert row_counts() == before
    assert "Total : créations 0, mises à jour 0," in output
    assert "Défis : 71 (créés 0, mis à jour 0, inchangés 71)" in output


@pytest.mark.django_db
def test_a_person_eig_then_mentor_later_is_one_person():
    eig_in, mentor_in = {}, defaultdict(set)
    for entry in load("defis.yml").values():
        for name in entry.get("eigs") or []:
            eig_in[norm(name)] = str(entry["promotion"])
        for name in entry.get("mentors") or []:
            mentor_in[norm(name)].add(str(entry["promotion"]))
    both = sorted(name for name in eig_in if mentor_in[name] - {eig_in[name]})
    assert both, "the data has someone who is EIG and later mentor"
    run_import()
    for name in both:
        people = [p for p in Person.objects.all() if norm(p.full_name) == name]
        assert len(people) == 1, name
        person = people[0]
        assert person.team_memberships.get().team.challenge.promotion.code == eig_in[name]
        assert {m.challenge.promotion.code for m in person.mentorships.all()} == mentor_in[name]


@pytest.mark.django_db
def test_names_missing_from_personnes_yml_become_people_and_are_listed():
    directory = {norm(name) for name in load("personnes.yml")}
    missing = {
        name
        for entry in load("defis.yml").values()
        for name in (entry.get("eigs") or []) + (entry.get("mentors") or [])
        if norm(name) not in directory
    }
    output = run_import()
    assert missing, "the data has names that personnes.yml lacks"
    for name in missing:
        assert f"- {name} (" in output
        assert Person.objects.filter(full_name=name).count() == 1


@pytest.mark.django_db
def test_faq_answers_are_sanitised(tmp_path):
    folder = writable_copy(tmp_path)
    (folder / "faq-eig.yml").write_text(
        '- question: "Q ?"\n'
        '  reponse: \'<p onclick="x()">Voir <a href="https://a.fr" target="_blank">ici</a>'
        "<script>alert(1)</script></p>'\n"
        "  ancre: Mon Ancre\n",
        encoding="utf-8",
    )
    run_import(folder)
    entry = FaqEntry.objects.get(audience=FaqEntry.Audience.CANDIDATES)
    assert entry.answer_html == '<p>Voir <a href="https://a.fr">ici</a></p>'
    assert entry.anchor == "mon-ancre"
    assert FaqEntry.objects.filter(audience=FaqEntry.Audience.ADMINISTRATIONS).count() > 0


@pytest.mark.django_db
def test_missing_folder_is_an_error_naming_it(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(CommandError) as error:
        run_import(missing)
    assert str(error.value) == f"Erreur : {missing} : dossier introuvable"


@pytest.mark.django_db
def test_missing_required_file_is_an_error_naming_it(tmp_path):
    folder = writable_copy(tmp_path)
    (folder / "personnes.yml").unlink()
    with pytest.raises(CommandError, match=r"personnes\.yml : fichier introuvable"):
        run_import(folder)
    assert Challenge.objects.count() == 0


@pytest.mark.django_db
def test_malformed_yaml_names_the_file_and_writes_nothing(tmp_path):
    folder = writable_copy(tmp_path)
    with (folder / "defis.yml").open("a", encoding="utf-8") as defis:
        defis.write('\n"Cassé": [non fermé\n')
    with pytest.raises(CommandError) as error:
        run_import(folder)
    message = str(error.value)
    assert message.startswith(f"Erreur : {folder / 'defis.yml'} : YAML invalide ligne ")
    assert "\n" not in message
    assert Promotion.objects.count() == 0
    assert Challenge.objects.count() == 0


def test_from_the_shell_an_error_is_one_french_line_on_stderr(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["manage.py", "import_eig_history", str(missing)])
    assert exit_info.value.code != 0
    assert capsys.readouterr().err == f"Erreur : {missing} : dossier introuvable\n"
