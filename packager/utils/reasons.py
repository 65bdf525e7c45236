"""Why a server gave no usable answer, worded for people, in French (the users' language) and English.

A :class:`Reason` is the French text itself (a ``str``: it goes into messages, state files and
slices as it is) and also knows its kind, its details and its English wording, so that a command
run with ``--lang en`` says it in English. Kinds, not exception class names, reach the user:
``MissingSchema`` or ``ProtocolError`` mean nothing to a mediator.
"""

from __future__ import annotations

import datetime
from typing import Any

_TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "address": "l'adresse « {address} » ne commence pas par https:// ; écrivez {suggestion}",
        "timeout": "pas de réponse complète en {seconds} s",
        "refused": "connexion refusée{again}",
        "dns": "nom de serveur inconnu ({host}){again}",
        "cut": "connexion coupée par le serveur{again}",
        "tls": "connexion sécurisée impossible (certificat ?)",
        "answer_cut": "réponse coupée en cours de route",
        "failed": "la connexion a échoué{again}",
        "status": "erreur du serveur, HTTP {status}{again}",
        "busy": "HTTP {status} : le serveur demande de revenir dans {delay} (vers {when})",
        "redirect": "HTTP {status} : redirection vers {location} non suivie (les identifiants partiraient avec elle)",
        "moved": "redirection vers {location} non suivie (les identifiants partiraient avec elle)",
        "foreign": "lien vers un autre serveur refusé : {url}",
        "not_service": "HTTP {status}, ce n'est pas une réponse de service web",
        "not_xapi": "ce n'est pas une réponse xAPI : {snippet}",
        "not_ids": "ce n'est pas la réponse xAPI attendue (la liste des identifiants enregistrés) : {snippet}",
        "not_result": "ce n'est pas un résultat de requête xAPI : {snippet}",
        "held_not_given": "le LRS dit détenir la déclaration {id} mais ne la rend pas",
        "bad_more": "lien « more » invalide ou répété : {more}",
        "too_many_pages": "plus de {pages} pages de liens « more »",
        "again": ", même après {tries} essais",
        "again_some": ", même après plusieurs essais",
    },
    "en": {
        "address": "the address \"{address}\" does not start with https://; write {suggestion}",
        "timeout": "no complete answer within {seconds} s",
        "refused": "connection refused{again}",
        "dns": "unknown server name ({host}){again}",
        "cut": "connection cut by the server{again}",
        "tls": "no secure connection (certificate?)",
        "answer_cut": "answer cut off midway",
        "failed": "the connection failed{again}",
        "status": "server error, HTTP {status}{again}",
        "busy": "HTTP {status}: the server asks to come back in {delay} (around {when})",
        "redirect": "HTTP {status}: redirect to {location} not followed (the credentials would go with it)",
        "moved": "redirect to {location} not followed (the credentials would go with it)",
        "foreign": "link to another server refused: {url}",
        "not_service": "HTTP {status}, not a web service answer",
        "not_xapi": "not an xAPI answer: {snippet}",
        "not_ids": "not the xAPI answer (a list of the stored ids): {snippet}",
        "not_result": "not an xAPI statement result: {snippet}",
        "held_not_given": "the LRS says it holds statement {id} but does not give it back",
        "bad_more": "invalid or repeated 'more' link: {more}",
        "too_many_pages": "more than {pages} pages of 'more' links",
        "again": ", even after {tries} tries",
        "again_some": ", even after several tries",
    },
}


class Reason(str):
    """The French wording of one kind of failure; ``text(lang)`` for another language."""

    kind: str
    detail: dict[str, Any]

    def __new__(cls, kind: str, **detail: Any) -> Reason:
        self = super().__new__(cls, _render(kind, detail, "fr"))
        self.kind = kind
        self.detail = detail
        return self

    def text(self, lang: str = "fr") -> str:
        return _render(self.kind, self.detail, lang)


def in_language(reason: str, lang: str) -> str:
    """``reason`` in ``lang`` when it is a :class:`Reason`; any other text (a server's own words) as it is."""
    return reason.text(lang) if isinstance(reason, Reason) else reason


def _render(kind: str, detail: dict[str, Any], lang: str) -> str:
    texts = _TEXTS.get(lang, _TEXTS["fr"])
    fields = dict(detail)
    tries = fields.pop("tries", None)
    fields["again"] = "" if tries is None or tries == 1 else (
        texts["again_some"] if tries == 0 else texts["again"].format(tries=tries))
    if "seconds" in fields:
        fields["seconds"] = _number(fields["seconds"], lang)
    if kind == "busy":
        fields["delay"] = _delay(float(fields["wait"]), lang)
        fields["when"] = _when(float(fields["wait"]), lang)
    return texts[kind].format(**fields)


def _number(value: float, lang: str) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "fr" else text


def _delay(seconds: float, lang: str) -> str:
    """``3600`` → "1 h"; ``90`` → "2 min"; ``20`` → "20 s"; ``93600`` → "26 h"."""
    if seconds >= 3600:
        hours, minutes = divmod(round(seconds / 60), 60)
        return f"{hours} h {minutes:02d}" if minutes and lang == "fr" else (
            f"{hours} h {minutes} min" if minutes else f"{hours} h")
    if seconds >= 60:
        return f"{round(seconds / 60)} min"
    return f"{round(seconds)} s"


def _when(seconds: float, lang: str) -> str:
    """The local clock time ``seconds`` from now; with the date when it is not today."""
    now = datetime.datetime.now().astimezone()
    then = now + datetime.timedelta(seconds=seconds)
    clock = then.strftime("%H:%M")
    if then.date() == now.date():
        return clock
    return then.strftime("%d/%m à %H:%M") if lang == "fr" else then.strftime("%Y-%m-%d %H:%M")
