"""The course file format: what a mediator may write, as pydantic models.

These models are the single definition of the format: validation, the JSON Schema served to
editors (``coursepack schema``) and the domain objects used by builders all come from them.
Descriptions are in French because they show up in the mediators' editor as hover help.
Rules that need more than one field, another file or the disk (references, media, accessibility,
SCORM limits) live in ``packager.model.checks`` so that every problem is reported in one run.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    Tag,
    WithJsonSchema,
)

from packager.model.crcn import COMPETENCES


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt key silently ignored is a lost setting."""

    model_config = ConfigDict(extra="forbid", frozen=True)


SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=64),
    Field(description="Identifiant stable : minuscules, chiffres et tirets (ex. « lire-ses-messages »). Ne le changez plus une fois publié."),
]
Text = Annotated[str, StringConstraints(pattern=r"\S", max_length=255)]
LongText = Annotated[str, StringConstraints(pattern=r"\S")]
Markdown = Annotated[str, StringConstraints(pattern=r"\S"), Field(description="Texte en Markdown.")]
def _normal_media_path(value: Any) -> Any:
    """``./media/x.png`` and ``media//x.png`` name one file: one spelling, one zip entry.

    Addresses (``https://…``, ``C:…``) and ``..`` are left as written, for the media check to
    refuse with the right message."""
    if not isinstance(value, str) or not value.strip() or re.match(r"^[a-z][a-z0-9+.-]*:", value, re.IGNORECASE):
        return value
    normal = posixpath.normpath(value)
    return value if normal.startswith("..") or normal == "." else normal


MediaPath = Annotated[
    str,
    StringConstraints(pattern=r"\S"),
    AfterValidator(_normal_media_path),
    Field(description="Chemin du fichier, relatif à la racine du catalogue (ex. « media/messagerie/boite.svg »)."),
]
HttpUrl = Annotated[str, StringConstraints(pattern=r"^https?://[^\s/$.?#][^\s]*$")]
#: The start of every xAPI id: a plain https address (no quotes, spaces, query or fragment),
#: since each id is this text followed by the course, module and page ids.
BASE_IRI_PATTERN = r"^https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?(?:/[A-Za-z0-9._~%!$&()*+,;=:@/-]*)?$"
BaseIri = Annotated[str, StringConstraints(pattern=BASE_IRI_PATTERN)]
#: An address a ``mailto:`` link can carry as is: no ``?subject=``, no quotes, no markup.
EMAIL_PATTERN = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$"
Email = Annotated[str, StringConstraints(pattern=EMAIL_PATTERN)]
#: Moodle splits tags at commas and keeps 50 characters (TAG_MAX_LENGTH); markup has no place.
KEYWORD_PATTERN = r"^[^,<>\"\\\s](?:[^,<>\"\\\n\r\t]{0,48}[^,<>\"\\\s])?$"
Keyword = Annotated[str, StringConstraints(pattern=KEYWORD_PATTERN)]
#: A phone number a learner can tap: digits, an optional leading +, spaces, dots or hyphens between.
PHONE_PATTERN = r"^\+?\d(?:[ .-]?\d){5,19}$"
Phone = Annotated[str, StringConstraints(pattern=PHONE_PATTERN)]
Language = Literal["fr", "en"]


def _competence_code(value: Any) -> Any:
    """YAML reads ``2.1`` as a number; a code is text, so accept both spellings."""
    if isinstance(value, float) and not isinstance(value, bool):
        return f"{value:.1f}"
    return value


if TYPE_CHECKING:  # a code from a table read at import: for the type checker, text
    Competence = str
else:
    Competence = Annotated[Literal[tuple(COMPETENCES)], BeforeValidator(_competence_code), WithJsonSchema({
        "description": "Compétence du référentiel CRCN / Pix.",
        "anyOf": [{"type": "string", "enum": list(COMPETENCES)},
                  {"type": "number", "enum": [float(code) for code in COMPETENCES]}]})]


class Contact(Strict):
    name: Text = Field(description="Nom du ou de la médiatrice numérique.")
    email: Email | None = Field(None, description="Adresse électronique.")
    phone: Phone | None = Field(None, description="Téléphone (ex. « 03 85 12 34 56 »).")
    booking_url: HttpUrl | None = Field(None, description="Lien pour réserver un accompagnement.")


class Completion(Strict):
    rule: Literal["pages", "quiz", "both"] = Field(
        "pages",
        description="Quand le module est-il terminé ? pages : toutes les pages vues ; quiz : quiz réussi ; both : les deux.",
    )
    mastery_score: Annotated[int, Field(ge=0, le=100)] = Field(
        80, description="Score minimal (0 à 100) pour réussir le quiz."
    )


# --- blocks ------------------------------------------------------------------------------


class Image(Strict):
    src: MediaPath
    alt: Text | None = Field(None, description="Texte alternatif : ce que l'image montre d'utile. Obligatoire sauf image décorative.")
    decorative: bool = Field(False, description="true si l'image est purement décorative (elle sera ignorée par les lecteurs d'écran).")
    caption: Text | None = Field(None, description="Légende visible sous l'image.")


def _step_shorthand(value: Any) -> Any:
    """A step is most often one sentence: ``- Ouvrez l'application.`` is accepted as is."""
    return {"text": value} if isinstance(value, str) else value


class Step(Strict):
    text: Markdown
    image: Image | None = Field(None, description="Capture d'écran de l'étape.")


class _OrShortText:
    """JSON Schema of a model that may also be written as one sentence."""

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return {"anyOf": [{"type": "string", "pattern": r"\S"}, handler(core_schema)]}


StepItem = Annotated[Step, BeforeValidator(_step_shorthand), _OrShortText()]


class Video(Strict):
    src: MediaPath = Field(description="Fichier vidéo local (MP4 conseillé).")
    title: Text = Field(description="Titre de la vidéo, lu par les lecteurs d'écran.")
    captions: MediaPath = Field(description="Sous-titres au format WebVTT (.vtt).")
    transcript: Markdown = Field(description="Transcription complète du contenu de la vidéo.")
    poster: MediaPath | None = Field(None, description="Image affichée avant la lecture.")


class Download(Strict):
    src: MediaPath = Field(description="Fichier à télécharger (PDF conseillé).")
    label: Text = Field(description="Texte du lien, qui dit ce qu'est le fichier (ex. « Fiche mémo : poser un congé »).")
    description: Text | None = None


class Feedback(Strict):
    correct: Markdown | None = Field(None, description="Message quand la réponse est juste.")
    incorrect: Markdown | None = Field(None, description="Message quand la réponse est fausse.")


class Choice(Strict):
    text: Text
    correct: bool = False
    feedback: Markdown | None = Field(None, description="Message affiché si cette réponse est choisie.")


class QuestionBase(Strict):
    id: Slug
    prompt: Markdown = Field(description="L'énoncé de la question.")
    feedback: Feedback | None = None


class SingleChoice(QuestionBase):
    type: Literal["single"]
    choices: Annotated[list[Choice], Field(min_length=2)]


class MultipleChoice(QuestionBase):
    type: Literal["multiple"]
    choices: Annotated[list[Choice], Field(min_length=2)]


class TrueFalse(QuestionBase):
    type: Literal["true_false"]
    answer: bool = Field(description="La bonne réponse : true (vrai) ou false (faux).")


class FillIn(QuestionBase):
    type: Literal["fill_in"]
    answers: Annotated[list[Text], Field(min_length=1)] = Field(description="Réponses acceptées.")
    tolerant: bool = Field(True, description="Ignorer majuscules et accents en comparant.")


class Ordering(QuestionBase):
    type: Literal["ordering"]
    items: Annotated[list[Text], Field(min_length=2)] = Field(description="Les éléments, dans le bon ordre (ils seront mélangés).")


class Pair(Strict):
    left: Text
    right: Text


class Matching(QuestionBase):
    type: Literal["matching"]
    pairs: Annotated[list[Pair], Field(min_length=2)] = Field(description="Les paires justes (elles seront mélangées).")


Question = Annotated[
    SingleChoice | MultipleChoice | TrueFalse | FillIn | Ordering | Matching,
    Field(discriminator="type"),
]
QUESTION_TYPES = ("single", "multiple", "true_false", "fill_in", "ordering", "matching")


class Quiz(Strict):
    attempts: Annotated[int, Field(ge=0)] = Field(0, description="Nombre d'essais permis ; 0 = illimité.")
    show_answers: bool = Field(False, description="Montrer la bonne réponse dès le premier essai (sinon seulement après le dernier).")
    questions: Annotated[list[Question], Field(min_length=1)]


class TextBlock(Strict):
    text: Markdown


class TipBlock(Strict):
    tip: Markdown = Field(description="Une astuce.")


class WarningBlock(Strict):
    warning: Markdown = Field(description="Une mise en garde.")


class StepsBlock(Strict):
    steps: Annotated[list[StepItem], Field(min_length=1)] = Field(description="Étapes numérotées d'une procédure.")


class ImageBlock(Strict):
    image: Image


class VideoBlock(Strict):
    video: Video


class DownloadBlock(Strict):
    download: Download


class QuizBlock(Strict):
    quiz: Quiz


BLOCK_MODELS: dict[str, type[Strict]] = {
    "text": TextBlock,
    "tip": TipBlock,
    "warning": WarningBlock,
    "steps": StepsBlock,
    "image": ImageBlock,
    "video": VideoBlock,
    "download": DownloadBlock,
    "quiz": QuizBlock,
}


def block_kind(value: Any) -> str | None:
    """A block is written ``- tip: …``: its kind is the one key among the known kinds."""
    if isinstance(value, BaseModel):
        return next(k for k, m in BLOCK_MODELS.items() if isinstance(value, m))
    if not isinstance(value, dict):
        return None
    kinds = [key for key in value if key in BLOCK_MODELS]
    return kinds[0] if len(kinds) == 1 else None


if TYPE_CHECKING:  # the union pydantic builds from BLOCK_MODELS below, written out for the type checker
    Block = TextBlock | TipBlock | WarningBlock | StepsBlock | ImageBlock | VideoBlock | DownloadBlock | QuizBlock
else:
    Block = Annotated[
        Union[tuple(Annotated[model, Tag(kind)] for kind, model in BLOCK_MODELS.items())],  # noqa: UP007 - built from a table: no | to write
        Discriminator(block_kind, custom_error_type="block_kind", custom_error_message="unknown block kind"),
    ]


# --- pages, modules, documents -------------------------------------------------------------


class Page(Strict):
    id: Slug
    title: Text = Field(description="Titre de la page (premier niveau de titre).")
    blocks: Annotated[list[Block], Field(min_length=1)]


class Module(Strict):
    id: Slug
    title: Text
    summary: LongText | None = None
    duration_minutes: Annotated[int, Field(gt=0)] | None = Field(None, description="Durée estimée en minutes.")
    completion: Completion | None = Field(None, description="Remplace la règle d'achèvement du cours pour ce module.")
    pages: Annotated[list[Page], Field(min_length=1)]


class Metadata(Strict):
    id: Slug
    title: Text
    summary: LongText = Field(description="Résumé affiché dans Moodle.")
    language: Language | None = Field(None, description="Langue du cours (par défaut celle du catalogue).")
    version: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+){0,2}$")] = Field(
        "1.0", description="Version du cours (ex. « 1.2 »)."
    )
    duration_minutes: Annotated[int, Field(gt=0)] = Field(description="Durée estimée en minutes.")
    audience: Text = Field(description="À qui s'adresse le cours.")
    competences: list[Competence] = Field(default_factory=list, description="Compétences CRCN / Pix (codes 1.1 à 5.2).")
    keywords: list[Keyword] = Field(default_factory=list, description="Mots-clés (étiquettes Moodle) : un par élément, sans virgule, 50 caractères au plus.")
    authors: list[Text] = Field(default_factory=list)
    contact: Contact | None = Field(None, description="Contact du médiateur (par défaut celui du catalogue).")
    completion: Completion = Field(default_factory=Completion)


class ToolCourse(Metadata):
    kind: Literal["tool"] = Field(description="tool : cours sur un outil logiciel.")
    modules: Annotated[list[Module], Field(min_length=1)]


class ModuleRef(Strict):
    ref: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+/[a-z0-9-]+$")] = Field(
        description="Module d'un cours outil : « id-du-cours/id-du-module »."
    )
    required: bool = Field(True, description="false si le module est facultatif.")


class JobPath(Metadata):
    kind: Literal["job"] = Field(description="job : parcours métier.")
    pages: Annotated[list[Page], Field(min_length=1)] = Field(description="Pages d'introduction du parcours.")
    modules: Annotated[list[ModuleRef], Field(min_length=1)]


Document = Annotated[ToolCourse | JobPath, Field(discriminator="kind")]
DOCUMENT_KINDS = ("tool", "job")


class Enrolment(Strict):
    """How agents get into the courses: Moodle has no web service for it, the plugin applies it."""

    method: Literal["self", "none"] = Field(
        "self",
        description="self : chaque agent s'inscrit lui-même à un cours (auto-inscription) ; "
        "none : le site inscrit les agents lui-même (CoursePack ne touche pas aux inscriptions).",
    )
    cohorts: dict[Slug, Annotated[str, StringConstraints(pattern=r"^\S+$", max_length=100)]] = Field(
        default_factory=dict,
        description="Parcours métier réservés à une cohorte Moodle : « id-du-parcours: identifiant-de-la-cohorte ». "
        "Seuls les membres de la cohorte peuvent s'y inscrire.",
    )


class MoodleCategories(Strict):
    root: Text = Field("Formations numériques", description="Catégorie racine du catalogue dans Moodle.")
    tools: Text = Field("Par outil", description="Sous-catégorie des cours outils.")
    jobs: Text = Field("Par métier", description="Sous-catégorie des parcours métier.")
    enrolment: Enrolment = Field(default_factory=Enrolment, description="Comment les agents entrent dans les cours.")


class Images(Strict):
    """How ``build`` packages screenshots: the source files are never changed."""

    shrink: bool = Field(
        True,
        description="true : build réduit les captures PNG, JPEG et WebP à la largeur que le lecteur affiche et les "
        "recompresse (le fichier du catalogue ne change pas) ; false : elles sont mises telles quelles dans les paquets.",
    )
    max_width: Annotated[int, Field(ge=320, le=4096)] = Field(
        1472, description="Largeur maximale en pixels d'une image réduite (1472 : la colonne du lecteur, nette sur un écran haute densité)."
    )


#: The longest catalogue id: it goes into every ID number and short name the catalogue owns.
CATALOGUE_ID_MAX = 20


class Settings(Strict):
    """``catalogue.yml``. Secrets never go here: they come from the environment."""

    id: Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=CATALOGUE_ID_MAX)] | None = Field(
        None,
        description="Identifiant du catalogue, quand plusieurs catalogues partagent un même Moodle (ex. « rh ») : "
        "minuscules, chiffres et tirets, 20 caractères au plus. Sans identifiant, c'est le catalogue par défaut. "
        "Ne le changez plus une fois publié : Moodle reconnaît les cours du catalogue par lui.",
    )
    site_name: Text = Field(description="Nom du catalogue, affiché dans les pages.")
    base_iri: BaseIri = Field(description="Début des identifiants xAPI (ex. « https://formation.exemple.fr/xapi/ »).")
    default_language: Language = "fr"
    moodle: MoodleCategories = Field(default_factory=MoodleCategories)
    contact: Contact = Field(description="Contact des médiateurs numériques.")
    images: Images = Field(default_factory=Images, description="Réduction des images dans les paquets.")
