"""One clear line, with the fix, for every way Moodle can refuse us (French or English)."""

from __future__ import annotations

import re

from packager.moodle.errors import MoodleError, MoodleUnreachable, WebServicesDisabled
from packager.moodle.functions import PLUGIN, is_plugin_function
from packager.utils.reasons import Reason, in_language

_TEXTS = {
    "fr": {
        "invalidtoken": "Moodle refuse le jeton (invalidtoken) : vérifiez la variable MOODLE_TOKEN ou le fichier de configuration.",
        "disabled": "Les services web sont désactivés sur ce Moodle : un administrateur doit les activer (Administration du site > Fonctions avancées > Services web) et activer le protocole REST.",
        "plugin_missing": "La fonction {function} manque : installez le plugin {plugin} (coursepack moodle-plugin --out dist/, puis Administration du site > Plugins > Installer des plugins) ; s'il est installé, ajoutez {function} au service du jeton.",
        "not_in_service": "La fonction {function} n'est pas dans le service du jeton : ajoutez-la au service « CoursePack » (Administration du site > Serveur > Services web > Services externes > Fonctions).",
        "nopermissions": "Le compte du jeton n'a pas le droit de faire cela ({detail}) : donnez-lui ce droit dans le contexte du cours ou de la catégorie.",
        "requireloginerror": "Le compte du jeton n'a pas accès au cours ({function}) : donnez à son rôle la capacité moodle/course:view au niveau du système.",
        "unreachable": "Moodle ne répond pas à {url} ({reason}) : vérifiez l'adresse et le réseau, puis relancez.",
        "address": "Adresse de Moodle inutilisable : {reason} (option --moodle-url, variable MOODLE_URL ou [moodle] url du fichier de configuration).",
        "busy": "Moodle ({url}) est surchargé ou en maintenance ({reason}) : relancez à ce moment-là.",
        "too_big": "Le paquet {name} ({size} Mo) dépasse la taille de dépôt permise par Moodle ({limit} Mo) : augmentez la limite (Administration du site > Sécurité > Politique du site) ou allégez les médias du module.",
        "upload_refused": "Moodle refuse le dépôt du fichier ({code}) : {message}. Le service du jeton doit autoriser le dépôt de fichiers (uploadfiles).",
        "upload_failed": "Moodle refuse le dépôt du fichier ({code}) : {message}",
        "filepool": "Moodle n'a pas pu écrire le paquet dans son dépôt de fichiers (storedfilecannotcreatefile), même après plusieurs essais : une autre publication déposait sans doute le même paquet au même moment ; sinon, vérifiez l'espace disque et les droits du dossier moodledata. Relancez : la publication reprend où elle s'est arrêtée.",
        "lockbusy": "Une autre requête travaillait sur le même cours ({message}) : relancez dans un instant, la publication reprend où elle s'est arrêtée.",
        "duplicateactivity": "Moodle refuse de choisir entre deux activités : {message}",
        "shortnametaken": "Le nom abrégé « {detail} » est déjà pris par un autre cours Moodle : renommez ce cours Moodle ou changez l'identifiant du cours YAML.",
        "other": "Moodle a refusé {function} : {code} — {message}",
    },
    "en": {
        "invalidtoken": "Moodle refuses the token (invalidtoken): check the MOODLE_TOKEN variable or the config file.",
        "disabled": "Web services are disabled on this Moodle: an admin must enable them (Site administration > Advanced features > Web services) and enable the REST protocol.",
        "plugin_missing": "Function {function} is missing: install the {plugin} plugin (coursepack moodle-plugin --out dist/, then Site administration > Plugins > Install plugins); if it is installed, add {function} to the token's service.",
        "not_in_service": "Function {function} is not in the token's service: add it to the \"CoursePack\" service (Site administration > Server > Web services > External services > Functions).",
        "nopermissions": "The token's account may not do this ({detail}): give it this capability in the course or category context.",
        "requireloginerror": "The token's account cannot access the course ({function}): give its role moodle/course:view at system level.",
        "unreachable": "Moodle does not answer at {url} ({reason}): check the address and the network, then run again.",
        "address": "Unusable Moodle address: {reason} (option --moodle-url, variable MOODLE_URL or [moodle] url in the config file).",
        "busy": "Moodle ({url}) is overloaded or in maintenance ({reason}): run again at that time.",
        "too_big": "Package {name} ({size} MB) is larger than Moodle's upload limit ({limit} MB): raise the limit (Site administration > Security > Site security settings) or shrink the module's media.",
        "upload_refused": "Moodle refuses the upload ({code}): {message}. The token's service must allow file uploads (uploadfiles).",
        "upload_failed": "Moodle refuses the upload ({code}): {message}",
        "filepool": "Moodle could not write the package into its file pool (storedfilecannotcreatefile), even after several tries: another publish was probably uploading the same package at the same moment; otherwise, check the disk space and the rights of the moodledata folder. Run again: publishing goes on where it stopped.",
        "lockbusy": "Another request was working on the same course ({message}): run again in a moment, publishing goes on where it stopped.",
        "duplicateactivity": "Moodle will not choose between two activities: {message}",
        "shortnametaken": "Short name \"{detail}\" is already used by another Moodle course: rename that Moodle course or change the YAML course id.",
        "other": "Moodle refused {function}: {code} — {message}",
    },
}


class PackageTooBig(Exception):
    def __init__(self, name: str, size: int, limit: int) -> None:
        super().__init__(f"{name}: {size} > {limit} bytes")
        self.name, self.size, self.limit = name, size, limit


def explain(exc: Exception, lang: str = "fr") -> str:
    texts = _TEXTS.get(lang, _TEXTS["fr"])
    if isinstance(exc, PackageTooBig):
        mb = 1024 * 1024
        return texts["too_big"].format(name=exc.name, size=f"{exc.size / mb:.1f}", limit=f"{exc.limit / mb:.1f}")
    if isinstance(exc, MoodleUnreachable):
        kind = exc.reason.kind if isinstance(exc.reason, Reason) else ""
        return texts[kind if kind in ("address", "busy") else "unreachable"].format(
            url=exc.url, reason=in_language(exc.reason, lang))
    if isinstance(exc, WebServicesDisabled):
        return texts["disabled"]
    if not isinstance(exc, MoodleError):
        raise TypeError(exc)
    code, function = exc.errorcode, exc.function
    if code == "invalidtoken":
        return texts["invalidtoken"]
    if code == "accessexception" and function == "upload":  # upload.php: the service does not allow uploads
        return texts["upload_refused"].format(code=code, message=exc.message)
    if code == "storedfilecannotcreatefile":  # file_system_filedir: the .tmp file another request replaced
        return texts["filepool"]
    if code in ("lockbusy", "duplicateactivity"):  # the plugin's own (lang/*/local_coursepack.php)
        return texts[code].format(message=exc.message)
    if code == "accessexception":
        return texts["not_in_service"].format(function=function)
    if code == "invalidrecordunknown" and is_plugin_function(function):
        # Moodle answers an unknown function like an unknown record (exchange 62)
        return texts["plugin_missing"].format(function=function, plugin=PLUGIN)
    if code == "requireloginerror":
        return texts["requireloginerror"].format(function=function)
    if code == "nopermissions":
        # "Sorry, but you do not currently have permissions to do that (Create courses)." → "Create courses"
        match = re.search(r"\(([^()]*)\)\.?\s*$", exc.message)
        detail = match.group(1) if match else exc.message.rstrip(".")
        return texts["nopermissions"].format(detail=detail)
    if code == "shortnametaken":
        match = re.search(r"\(([^)]*)\)", exc.message)
        return texts["shortnametaken"].format(detail=match.group(1) if match else exc.message)
    if function == "upload":
        return texts["upload_failed"].format(code=code, message=exc.message)
    return texts["other"].format(function=function or "?", code=code, message=exc.message)
