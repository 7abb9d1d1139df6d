"""The handbook's first pages, drawn from the programme's FAQ (eig-history) and its
lifecycle. Staff edit them in the admin afterwards; a page already there is left alone."""

from django.db import migrations

PAGES = [
    {
        "stage": "arriving",
        "slug": "contrat-et-arrivee",
        "position": 1,
        "is_public": True,
        "title": "Votre contrat et votre arrivée",
        "body_markdown": """\
Une fois sélectionné·e, vous signez votre contrat **avec l’administration d’accueil**,
pas avec le programme : un **CDD de 10 mois**, rémunéré **3 500 € nets par mois**
jusqu’à 5 ans d’expérience inclus, **4 000 € nets par mois** au-delà.

## Avant le premier jour

L’administration a besoin de vos nom, profil, coordonnées et date d’arrivée pour préparer
le contrat, le poste de travail et les accès (locaux, messagerie, données). Répondez vite
à ses demandes : les postes d’EIG entrent dans ses plafonds d’emploi et ses services RH
ont leurs délais.

## Commencer à la date de la promotion

Pour des raisons administratives, la promotion ne peut pas commencer plus tard pour une
personne. Si vous quittez un emploi, demandez à votre employeur une dispense partielle
ou totale de préavis ; un congé sans solde est une autre voie, avec son accord.

## Où vous travaillez

Votre équipe travaille dans l’administration qui porte le défi, parfois hors de la région
parisienne. Le télétravail régulier dépend de l’administration et de l’accord de toute
l’équipe : le programme repose sur l’immersion, il ne permet pas un télétravail complet.
Les frais de déplacement liés à votre mission sont à la charge de l’administration d’accueil.
""",
        "title_en": "Your contract and your arrival",
        "body_markdown_en": """\
Once selected, you sign your contract **with the host administration**, not with the
programme: a **10-month fixed-term contract**, paid **€3,500 net a month** up to 5 years
of experience included, **€4,000 net a month** beyond.

## Before the first day

The administration needs your name, profile, contact details and start date to prepare
the contract, your workstation and your access (premises, email, data). Answer its
requests quickly: EIG positions count against its staff ceiling and its HR teams have
their own delays.

## Starting with the promotion

For administrative reasons the promotion cannot start later for one person. If you are
leaving a job, ask your employer to shorten or waive your notice; unpaid leave is
another way, with its agreement.

## Where you work

Your team works inside the administration that hosts the challenge, sometimes outside
the Paris region. Regular remote work depends on the administration and on the whole
team's agreement: the programme relies on immersion and does not allow full remote work.
Travel costs for your mission are paid by the host administration.
""",
    },
    {
        "stage": "arriving",
        "slug": "la-vie-de-la-promotion",
        "position": 2,
        "is_public": False,
        "title": "La vie de la promotion : accompagnement et bulletins",
        "body_markdown": """\
Pendant dix mois, l’équipe du programme accompagne la promotion : un **bootcamp** au
départ, des **ateliers** réguliers (méthodes, design, open source, données), des
**séminaires** et des temps d’**apprentissage entre pairs**. Les mentors en suivent
certains, environ une session tous les deux mois. Les invitations arrivent par email et
dans votre agenda (onglet « Mon agenda »).

## Le bulletin de la semaine

Chaque équipe écrit un bulletin par semaine, en quatre questions : l’humeur de l’équipe,
ses priorités, ses victoires, et où elle a besoin d’aide.

- N’importe quel membre de l’équipe l’écrit ou le complète ; chaque version est gardée.
- **Toute la promotion le lit** : c’est ainsi qu’on apprend des autres équipes.
- La semaine se **clôt le vendredi à 15 h** (heure de Paris) : la synthèse part alors à
  toute la promotion. Ce qui est écrit après entre dans la semaine suivante.
- Une **demande d’aide** prévient aussitôt l’équipe du programme et vos mentors ; vous
  êtes prévenu·e de qui l’a prise en charge.
""",
    },
    {
        "stage": "administration",
        "slug": "travailler-avec-vos-mentors",
        "position": 1,
        "is_public": True,
        "title": "Travailler avec vos mentors et votre administration",
        "body_markdown": """\
## Vous n’êtes pas un prestataire

Les EIG ne travaillent pas sur un cahier des charges : vous êtes maîtres de votre projet
et pouvez proposer d’autres manières de répondre au défi, en technologies comme en
livrables. Pendant votre immersion, vous élaborez une **feuille de route** et itérez
dessus avec vos mentors. Vous êtes mobilisé·es sur un seul projet, pendant dix mois,
de sa conception à sa réalisation.

## Vos mentors

- Le ou les **mentors opérationnels** (porteurs de projet) vous guident au quotidien :
  ils vous orientent dans l’administration, s’assurent que vous avez les ressources
  nécessaires (techniques, données) et facilitent les démarches juridiques et
  administratives. Ils y consacrent souvent 30 à 40 % de leur temps ; ils forment
  fréquemment un binôme, un profil « métier » et un profil « technique ».
- Le **mentor stratégique**, un directeur ou une directrice, soutient le défi au plus
  haut niveau : c’est vers lui ou elle qu’on se tourne quand un obstacle dépasse l’équipe.

Les mentors font partie du collectif EIG : ils lisent vos bulletins, les commentent et
viennent à certaines sessions d’accompagnement.
""",
    },
    {
        "stage": "open_source",
        "slug": "publier-le-code",
        "position": 1,
        "is_public": True,
        "title": "Publier le code en open source",
        "body_markdown": """\
Sauf dérogation, ce que vous développez est **publié en open source** : c’est un
engagement de l’administration quand elle propose son défi, et c’est ce qui permet à
d’autres de maintenir et de reprendre l’outil après votre départ.

- Publiez tôt, dans un dépôt public, plutôt qu’à la fin.
- Le programme dispose d’une **organisation sur GitHub** pour regrouper les dépôts publiés.
- Notez l’adresse du dépôt dans **les livrables de l’équipe** (page de l’équipe) : elle
  paraît sur la fiche publique du défi et compte parmi les produits ouverts du programme.
""",
    },
    {
        "stage": "data",
        "slug": "ouvrir-les-donnees",
        "position": 1,
        "is_public": True,
        "title": "Ouvrir les données",
        "body_markdown": """\
Un défi donne souvent accès à des données que l’administration est seule à détenir, et
l’administration s’engage à ouvrir ce qui peut l’être. Les **jeux de données ouverts**
font partie des livrables que le programme suit, promotion après promotion.

- Publiez les jeux de données sur **data.gouv.fr**, avec leur documentation.
- Notez chaque jeu ouvert, avec son adresse sur data.gouv.fr, dans **les livrables de
  l’équipe** : il paraît sur la fiche publique du défi et dans les données ouvertes du
  programme.
""",
    },
    {
        "stage": "leaving",
        "slug": "apres-les-dix-mois",
        "position": 1,
        "is_public": True,
        "title": "Après les dix mois : pérennité et alumni",
        "body_markdown": """\
Après dix mois, les EIG quittent leur administration d’accueil : cette date butoir
place une pression saine sur l’équipe. Les outils continuent d’être maintenus et
développés par les équipes de l’administration ; certains sont déployés dans d’autres
services. Le code publié en open source rend leur reprise possible par tous.

## Avant de partir

Complétez **les livrables de l’équipe** : l’adresse du produit, le code, les données
ouvertes, les chiffres clés et un court bilan de fin de promotion.

## Et après

L’équipe du programme prend de vos nouvelles **6 et 12 mois** après la fin de la
promotion (le produit est-il encore utilisé ? où travaillez-vous ?). Les alumni forment
un réseau, siègent dans les jurys des promotions suivantes et en mentorent les défis.
""",
        "title_en": "After the ten months: what lasts, and the alumni",
        "body_markdown_en": """\
After ten months the EIGs leave their host administration: this deadline puts a healthy
pressure on the team. The tools go on being maintained and developed by the
administration's teams; some are deployed in other services. Code published as open
source lets anyone take it over.

## Before you leave

Complete **the team's deliverables**: the product's address, the code, the opened data,
key figures and a short end-of-promotion summary.

## And after

The programme's team asks for news **6 and 12 months** after the end of the promotion
(is the product still used? where do you work?). Alumni form a network, sit on the
juries of later promotions and mentor their challenges.
""",
    },
]


def seed(apps, schema_editor):
    HandbookPage = apps.get_model("cohorts", "HandbookPage")
    for page in PAGES:
        HandbookPage.objects.get_or_create(slug=page["slug"], defaults=page)


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0004_promotion_handbook")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
