"""``coursepack --help`` in French by default, in English with ``--lang en``.

The CLI's help is written in English in ``packager/cli/`` (like the code); mediators read it in
French. Click formats its own words ("Usage:", "Options", errors) through ``gettext``, imported
into each of its modules as ``_`` and ``ngettext``: those names are pointed at the table below,
which is the one place where click speaks French.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import click

#: command name ("" for the group) → (help, {option or argument name: help})
FRENCH: dict[str, tuple[str, dict[str, str]]] = {
    "": ("Transforme les cours écrits en YAML en paquets de formation pour Moodle.", {
        "version": "Afficher la version et quitter.", "help": "Afficher cette aide et quitter."}),
    "validate": ("Vérifie le catalogue (par défaut : celui où vous êtes) et signale chaque problème.", {
        "strict": "Échouer aussi sur les avertissements."}),
    "build": ("Construit un paquet (zip) par module du catalogue.", {
        "fmt": "Format des paquets.", "out": "Dossier des paquets.", "force": "Tout reconstruire, même ce qui n'a pas changé."}),
    "publish": ("Publie le catalogue dans Moodle : catégories, cours et activités SCORM.\n\n"
                "Le jeton vient de la variable d'environnement MOODLE_TOKEN ou du fichier de configuration, "
                "jamais de la ligne de commande.", {
        "out": "Dossier des paquets SCORM 1.2.", "dry_run": "Afficher le plan sans rien changer.",
        "wait": "Combien de secondes attendre la fin d'une autre publication du même catalogue (0 : ne pas attendre)."}),
    "doctor": ("Vérifie que Moodle et le LRS sont prêts : une ligne par point, avec la correction.", {
        "out": "Dossier des paquets SCORM 1.2."}),
    "sync": ("Envoie les résultats des apprenants de Moodle au LRS, en déclarations xAPI.\n\n"
             "Adresse et identifiants du LRS : LRS_ENDPOINT, LRS_USERNAME, LRS_PASSWORD ou le fichier de configuration.", {
        "state": "Où garder l'état de la synchronisation (curseur, forme de l'acteur, déclarations mises de côté).",
        "reset": "Repartir du premier résultat (nécessaire pour changer --actor ou --email).",
        "retry": "Renvoyer les déclarations que le LRS a refusées plus tôt.",
        "batch_size": "Déclarations par requête.",
        "actor_name": "Champ Moodle qui nomme l'apprenant dans le LRS.",
        "email": "Identifier les apprenants par leur adresse électronique (seulement si la collectivité le demande).",
        "dry_run": "Afficher les déclarations sans rien envoyer."}),
    "report": ("Écrit le rapport d'achèvement (HTML et CSV) à partir des déclarations du LRS (définitions : docs/report.md).", {
        "store": "Copie locale des déclarations du LRS (SQLite) ; chaque exécution ne récupère que les nouvelles.",
        "by_activity": "Ne demander au LRS que les activités du catalogue, sans vérifier d'abord qu'il filtre par activité (par défaut, c'est vérifié une fois, avec une déclaration de la copie locale).",
        "out": "Le rapport HTML à écrire.", "csv_out": "L'export CSV (par défaut : à côté du HTML, en .csv).",
        "idle_days": "Lister les agents qui ont commencé un module il y a plus de ce nombre de jours sans le terminer.",
        "pseudonymise": "Les mêmes chiffres et la même liste, sans noms ni contacts (pseudonymes stables).",
        "keep_days": "Retirer du stockage local les déclarations plus anciennes que ce nombre de jours.",
        "forget": "Retirer un apprenant (identifiant, adresse électronique, clé ou pseudonyme) du stockage local, sans rien écrire d'autre.",
        "state": "L'état de la synchronisation : comment les apprenants du Moodle configuré sont nommés dans le LRS (pour leurs contacts)."}),
    "flyer": ("Écrit une affiche papier par parcours métier (HTML prêt à imprimer et PDF) : ce qu'il apprend, sa durée, des codes QR pour commencer et pour prendre rendez-vous.", {
        "job": "Seulement ce parcours métier (par défaut : tous).", "out": "Dossier des affiches (HTML et PDF).",
        "size": "Format du papier.", "published": "Le dossier où publish a écrit : son moodle-courses.json donne l'adresse de chaque cours."}),
    "preview": ("Ouvre le catalogue dans un navigateur ; chaque module se joue dans un LMS simulé.", {
        "port": "Port sur 127.0.0.1."}),
    "moodle-plugin": ("Construit le zip installable du plugin Moodle compagnon (local_coursepack.zip).", {
        "out": "Dossier du zip du plugin."}),
    "new": ("Écrit un fichier de départ commenté et valide, pour un cours outil ou un parcours métier.", {
        "catalogue_path": "Dossier du catalogue (par défaut : celui où vous êtes, sinon le catalogue intégré)."}),
    "schema": ("Écrit le schéma JSON du format des cours, pour les éditeurs.", {
        "kind": "Fichiers de cours ou catalogue.yml.", "out": "Fichier à écrire (par défaut : la sortie standard)."}),
}
#: options every command shares
SHARED = {
    "lang": "Langue des messages.",
    "moodle_url": "Adresse de Moodle (par défaut : MOODLE_URL ou le fichier de configuration).",
    "config_file": "Fichier de configuration (par défaut : COURSEPACK_CONFIG ou ~/.config/coursepack/config.toml).",
    "help": "Afficher cette aide et quitter.",
}

#: click's own words (see click's ``_()`` calls), in French
CLICK_FR = {
    "Usage:": "Utilisation :",
    "Options": "Options",
    "Commands": "Commandes",
    "Positional arguments": "Arguments",
    "default: {default}": "par défaut : {default}",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Show the version and exit.": "Afficher la version et quitter.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l'aide.",
    "No such option {name!r}.": "Option inconnue : {name}.",
    "No such command {name!r}.": "Commande inconnue : {name}.",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing {param_type}": "{param_type} manquant",
    "Missing command.": "Commande manquante.",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Aborted!": "Interrompu.",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "{value!r} is not a valid {number_type}.": "« {value} » n'est pas un nombre valide.",
    "Option {name!r} does not take a value.": "L'option {name} ne prend pas de valeur.",
    "unknown error": "erreur inconnue",
}
CLICK_FR_PLURAL = {
    "{value!r} is not {choice}.": ("« {value} » n'est pas {choice}.", "« {value} » ne fait pas partie de : {choices}."),
    "Got unexpected extra argument ({args})": ("Argument en trop ({args})", "Arguments en trop ({args})"),
    "Option {name!r} requires an argument.": ("L'option {name} demande une valeur.", "L'option {name} demande {nargs} valeurs."),
    "Did you mean {possibility}?": ("Vouliez-vous dire {possibility} ?", "(Vouliez-vous dire l'une de : {possibilities} ?)"),
}
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types")


def _french(message: str) -> str:
    return CLICK_FR.get(message, message)


def _french_plural(singular: str, plural: str, count: int) -> str:
    forms = CLICK_FR_PLURAL.get(singular)
    if forms is None:
        return singular if count == 1 else plural
    return forms[0] if count <= 1 else forms[1]


def _english(message: str) -> str:
    return message


def _english_plural(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def _speak(gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str]) -> None:
    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def _commands(group: click.Group) -> list[tuple[str, click.Command]]:
    return [("", group), *sorted(group.commands.items())]


def apply(group: click.Group, lang: str) -> None:
    """Help texts and click's words in ``lang`` ("fr" or "en"); English is the text in packager/cli/."""
    for name, command in _commands(group):
        english = command.__dict__.setdefault("_coursepack_english", {
            "help": command.help, "short_help": command.short_help,
            "params": {param.name: getattr(param, "help", None) for param in command.params}})
        french_help, french_params = FRENCH.get(name, (None, {}))
        use_french = lang == "fr"
        command._help_option = None  # click caches --help with its text in the language of the first call
        command.help = french_help if use_french and french_help else english["help"]
        command.short_help = None if use_french and french_help else english["short_help"]
        for param in command.params:
            if not isinstance(param, click.Option):
                continue
            text = (french_params.get(param.name or "") or SHARED.get(param.name or "")) if use_french else None
            param.help = text or english["params"].get(param.name)
    if lang == "fr":
        _speak(_french, _french_plural)
    else:
        _speak(_english, _english_plural)


def requested_language(args: list[str]) -> str:
    """``--lang en`` (or ``--lang=en``) anywhere on the line; French otherwise."""
    for index, arg in enumerate(args):
        if arg == "--lang=en" or (arg == "--lang" and args[index + 1: index + 2] == ["en"]):
            return "en"
    return "fr"


def without_lang_for_help(args: list[str]) -> list[str]:
    """``coursepack schema --help --lang en``: help needs no --lang, and not every command has one."""
    if not {"--help", "-h"} & set(args):
        return args
    out: list[str] = []
    skip = False
    for index, arg in enumerate(args):
        if skip:
            skip = False
            continue
        if arg == "--lang" and index + 1 < len(args):
            skip = True
            continue
        if arg.startswith("--lang="):
            continue
        out.append(arg)
    return out
