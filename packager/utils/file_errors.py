"""A failed read or write, said in one line: what happened, where, and what to do.

A full disk, a read-only folder or a missing permission is not a bug of the tool: the mediator
gets a sentence in their language, not Python's English ``OSError`` and its traceback.
"""

from __future__ import annotations

import errno

_CAUSES = {
    "fr": {
        errno.ENOSPC: ("disque plein", "Libérez de la place sur le disque (ou choisissez un autre dossier avec --out), puis relancez."),
        errno.EDQUOT: ("quota de disque dépassé", "Libérez de la place dans votre espace, puis relancez."),
        errno.EROFS: ("dossier en lecture seule", "Choisissez un dossier où vous pouvez écrire (option --out), puis relancez."),
        errno.EACCES: ("accès refusé", "Vérifiez vos droits sur ce fichier ou ce dossier, ou choisissez-en un autre (option --out)."),
        errno.EPERM: ("opération non permise", "Vérifiez vos droits sur ce fichier ou ce dossier, ou choisissez-en un autre (option --out)."),
        errno.ENOENT: ("fichier ou dossier introuvable", "Vérifiez le chemin (orthographe, majuscules), puis relancez."),
        errno.ENOTDIR: ("un élément du chemin n'est pas un dossier", "Vérifiez le chemin : un fichier porte le nom d'un dossier attendu."),
        errno.EISDIR: ("c'est un dossier, pas un fichier", "Donnez le chemin d'un fichier."),
        errno.EEXIST: ("le fichier existe déjà", "Choisissez un autre nom ou retirez ce fichier."),
        errno.EMFILE: ("trop de fichiers ouverts", "Fermez des programmes, puis relancez."),
        errno.EIO: ("erreur d'entrée-sortie du disque", "Vérifiez le disque (ou la clé USB), puis relancez."),
    },
    "en": {
        errno.ENOSPC: ("disk full", "Free some disk space (or choose another folder with --out), then run again."),
        errno.EDQUOT: ("disk quota exceeded", "Free some space in your quota, then run again."),
        errno.EROFS: ("read-only folder", "Choose a folder you can write to (--out), then run again."),
        errno.EACCES: ("permission denied", "Check your rights on this file or folder, or choose another one (--out)."),
        errno.EPERM: ("operation not permitted", "Check your rights on this file or folder, or choose another one (--out)."),
        errno.ENOENT: ("no such file or folder", "Check the path (spelling, case), then run again."),
        errno.ENOTDIR: ("part of the path is not a folder", "Check the path: a file has the name of an expected folder."),
        errno.EISDIR: ("this is a folder, not a file", "Give the path of a file."),
        errno.EEXIST: ("the file already exists", "Choose another name or remove that file."),
        errno.EMFILE: ("too many open files", "Close some programs, then run again."),
        errno.EIO: ("disk input/output error", "Check the disk (or USB stick), then run again."),
    },
}
_TEXTS = {
    "fr": {"line": "Erreur de fichier : {cause} ({where}). {fix}", "unknown": "erreur système n° {errno}",
           "fix": "Vérifiez le fichier et le disque, puis relancez.", "nowhere": "chemin inconnu"},
    "en": {"line": "File error: {cause} ({where}). {fix}", "unknown": "system error {errno}",
           "fix": "Check the file and the disk, then run again.", "nowhere": "unknown path"},
}


def describe(exc: OSError, lang: str = "fr") -> str:
    """``Erreur de fichier : disque plein (dist/x.zip). Libérez de la place …`` — one line."""
    lang = lang if lang in _TEXTS else "fr"
    texts = _TEXTS[lang]
    cause, fix = _CAUSES[lang].get(exc.errno or 0, (texts["unknown"].format(errno=exc.errno or 0), texts["fix"]))
    where = exc.filename if exc.filename is not None else texts["nowhere"]
    if exc.filename2 is not None:
        where = f"{where} → {exc.filename2}"
    return texts["line"].format(cause=cause, where=where, fix=fix)
