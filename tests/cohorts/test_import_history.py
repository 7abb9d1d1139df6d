"""The import of the programme's public history (`import_eig_history`).

Expected numbers are counted here straight from the YAML files, independently
of the importer, so the tests follow the data rather than hard-coding it.
"""

import io
import shutil
import stat
from collections import defaultdict
from datetime import date

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from challenges.models import (
    Administration,
    AdministrationContact,
    Challenge,
    ChallengeMentor,
    KeyFigure,
)
from cohorts.management.commands.import_eig_history import Command
from cohorts.models import Team, TeamMember
from eig.models import FaqEntry, Person, Promotion, Skill
from tests.cohorts.record_count import count_the_record
from tests.conftest import HISTORY_DIR
from tests.factories import UserFactory

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


def expected_per_promotion():
    """{promotion code: (challenges, distinct EIGs)}, counted from the YAML files with the
    record's rules named in tests.cohorts.record_count."""
    counts = count_the_record(history_folder())
    return {code: (c["challenges"], c["eigs"]) for code, c in counts.items() if code != "*"}


def entries_per_promotion():
    """{promotion code: [entries of defis.yml]}."""
    entries = defaultdict(list)
    for entry in load("defis.yml").values():
        entries[str(entry["promotion"])].append(entry)
    return entries


def with_changed_challenges(tmp_path, change):
    """A copy of the history whose defis.yml `change(entries)` edited in place."""
    folder = writable_copy(tmp_path)
    path = folder / "defis.yml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(entries)
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return folder


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
def test_counts_per_promotion_match_the_record():
    """Challenges and distinct EIGs per promotion, counted from the YAML files with the
    record's rules (tests.cohorts.record_count), and the report says the same."""
    output = run_import()
    for code, (challenges, eigs) in expected_per_promotion().items():
        promotion = Promotion.objects.get(code=code)
        assert promotion.challenges.count() == challenges, code
        members = TeamMember.objects.filter(team__challenge__promotion=promotion)
        assert members.values("person").distinct().count() == eigs, code
        assert f"{promotion.name} : {challenges} défis, {eigs} EIG" in output


@pytest.mark.django_db
def test_every_text_file_becomes_the_body_of_one_challenge():
    output = run_import()
    files = list((history_folder() / "defis").glob("*.md"))
    bodies = Challenge.objects.exclude(body_markdown="").values_list("body_markdown", flat=True)
    assert files and len(set(bodies)) == len(files) == Challenge.objects.count()
    assert "Fichiers texte sans défi" not in output and "Défis sans fichier texte" not in output


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
def test_a_person_eig_then_mentor_later_is_one_person_however_the_name_is_typed(tmp_path):
    first = next(e for e in load("defis.yml").values() if str(e["promotion"]) == "1")
    name = first["eigs"][0]

    def mentor_of_adex(entries):
        entries["ADEX"]["mentors"].append("  " + name.upper().replace(" ", "   "))

    run_import(with_changed_challenges(tmp_path, mentor_of_adex))

    eig = TeamMember.objects.get(team__challenge__title=first["title"], person__full_name=name)
    # The same person mentors ADEX: no second person was made from the other spelling.
    assert eig.person.mentorships.filter(challenge__history_key="ADEX").exists()
    assert Person.objects.count() == Person.objects.values("slug").distinct().count()


@pytest.mark.django_db
def test_names_missing_from_personnes_yml_become_people_and_are_listed(tmp_path):
    newcomer = "Camille Personne-Nouvelle"

    def add_to_adex(entries):
        entries["ADEX"]["eigs"].append(newcomer)

    output = run_import(with_changed_challenges(tmp_path, add_to_adex))

    assert f"- {newcomer} (ADEX" in output
    assert (
        Person.objects.get(full_name=newcomer).team_memberships.get().team.challenge.history_key
        == "ADEX"
    )


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
    entry = FaqEntry.objects.archived(2021).get(audience=FaqEntry.Audience.CANDIDATES)
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


# --- Issue #16: truth to the record -------------------------------------------------------


@pytest.mark.django_db
def test_a_mentor_whom_personnes_yml_says_was_the_challenge_s_eig_is_imported_as_its_eig():
    output = run_import()
    for name, challenge in [
        ("Laurent Dupont", "MESRI - La machine à données"),
        ("Tristram Gräbener", "MI - cartAV"),
    ]:
        challenge = Challenge.objects.get(history_key=challenge)
        person = Person.objects.get(full_name=name)
        assert TeamMember.objects.filter(team__challenge=challenge, person=person).exists()
        assert not ChallengeMentor.objects.filter(challenge=challenge, person=person).exists()
        assert f"{name}, {challenge.history_key} (EIG 1) : mentor selon defis.yml" in output
    assert "personnes.yml l’emporte" in output
    assert Promotion.objects.get(code="1").challenges.get(history_key="MI - cartAV").team_size == 2


@pytest.mark.django_db
def test_an_eig_who_mentors_a_later_challenge_stays_its_mentor():
    run_import()
    philéas = Person.objects.get(slug="phileas-condemine")
    assert ChallengeMentor.objects.filter(
        challenge__history_key="Open Chronic", person=philéas
    ).exists()
    assert TeamMember.objects.filter(team__challenge__history_key="Lab Santé", person=philéas)
    pierre_alain = ChallengeMentor.objects.get(
        challenge__history_key="ADEX", person__slug="pierre-alain-jachiet"
    )
    assert not TeamMember.objects.filter(
        team__challenge__history_key="ADEX", person=pierre_alain.person
    ).exists()


@pytest.mark.django_db
def test_a_new_run_removes_the_mentor_row_an_earlier_run_gave_a_challenge_s_eig():
    run_import()
    challenge = Challenge.objects.get(history_key="MI - cartAV")
    person = Person.objects.get(full_name="Tristram Gräbener")
    ChallengeMentor.objects.create(challenge=challenge, person=person, position=9)
    output = run_import()
    assert not ChallengeMentor.objects.filter(challenge=challenge, person=person).exists()
    assert "1 mentor(s) d’un import précédent retiré(s)" in output


@pytest.mark.django_db
def test_imported_promotions_carry_their_year_and_no_invented_dates():
    run_import()
    assert not Promotion.objects.filter(starts_on__isnull=False).exists()
    assert not Promotion.objects.filter(ends_on__isnull=False).exists()
    assert Promotion.objects.get(code="3").year == 2019
    # Dates staff set survive a new run.
    Promotion.objects.filter(code="3").update(ends_on=date(2019, 11, 15))
    run_import()
    assert Promotion.objects.get(code="3").ends_on == date(2019, 11, 15)


@pytest.mark.django_db
def test_administration_name_variants_are_one_administration_by_the_alias_table():
    output = run_import()
    for canonical, count in [
        ("Direction générale de la gendarmerie nationale (DGGN)", 3),
        ("Direction interministérielle du numérique (DINUM)", 3),
        ("Direction des affaires maritimes", 3),
        ("Cour de cassation", 2),
    ]:
        assert Administration.objects.get(name=canonical).challenges.count() == count, canonical
    assert not Administration.objects.filter(
        name__startswith="Direction interministérielle du numérique (DINUM),"
    ).exists()
    assert "Administrations fusionnées (table des alias)" in output
    assert "« Cour de Cassation » → « Cour de cassation »" in output


@pytest.mark.django_db
def test_a_variant_an_earlier_run_created_is_removed_once_its_challenges_moved():
    run_import()
    leftover = Administration.objects.create(name="Cour de Cassation", slug="cour-de-cassation-x")
    used = Administration.objects.create(name="Ministère de la culture", slug="culture-x")
    AdministrationContact.objects.create(administration=used, user=UserFactory())
    output = run_import()
    assert not Administration.objects.filter(pk=leftover.pk).exists()
    assert Administration.objects.filter(pk=used.pk).exists()  # a contact still uses it
    assert "Administrations variantes supprimées (sans défi ni contact)" in output
