"""Texts of every validation message, in French (default) and English.

Each code maps to (what is wrong, how to fix it) per language; ``{name}`` fields come from the
problem's parameters. Kept in one table so that a mediator gets the same wording everywhere
(terminal, preview page) and so a test can check that every code has both languages.
"""

from __future__ import annotations

from typing import Any

Entry = dict[str, tuple[str, str]]

MESSAGES: dict[str, Entry] = {
    # --- reading files ------------------------------------------------------------------
    "yaml.syntax": {
        "fr": ("erreur de syntaxe YAML : {problem}", "Vérifiez l'indentation (espaces, pas de tabulations) et les deux-points ; mettez entre guillemets un texte qui contient « : » ou commence par un caractère spécial."),
        "en": ("YAML syntax error: {problem}", "Check indentation (spaces, no tabs) and colons; quote text that contains ': ' or starts with a special character."),
    },
    "yaml.duplicate_key": {
        "fr": ("la clé « {key} » est écrite deux fois (première fois ligne {first_line})", "Gardez une seule fois cette clé."),
        "en": ("key '{key}' is written twice (first on line {first_line})", "Keep this key only once."),
    },
    "yaml.bad_key": {
        "fr": ("une clé doit être un simple mot", "Écrivez la clé comme un mot suivi de deux-points, par exemple « title: »."),
        "en": ("a key must be a plain word", "Write the key as a word followed by a colon, for example 'title:'."),
    },
    "yaml.unknown_tag": {
        "fr": ("étiquette YAML non prise en charge : {tag}", "Retirez l'étiquette (le mot qui commence par « ! »)."),
        "en": ("unsupported YAML tag: {tag}", "Remove the tag (the word starting with '!')."),
    },
    "yaml.bad_merge": {
        "fr": ("fusion « << » invalide", "« << » doit désigner une ancre qui est un dictionnaire (« <<: *nom »)."),
        "en": ("invalid '<<' merge", "'<<' must point to an anchor that is a mapping ('<<: *name')."),
    },
    "yaml.empty": {
        "fr": ("le fichier est vide", "Partez d'un modèle : « coursepack new tool ID » ou « coursepack new job ID »."),
        "en": ("the file is empty", "Start from a template: 'coursepack new tool ID' or 'coursepack new job ID'."),
    },
    "yaml.too_deep": {
        "fr": ("le document est imbriqué trop profondément (plus de {limit} niveaux)", "Simplifiez la structure : un cours n'a qu'une douzaine de niveaux."),
        "en": ("the document is nested too deeply (more than {limit} levels)", "Simplify the structure: a course has only about a dozen levels."),
    },
    "yaml.too_big": {
        "fr": ("le document dépasse {limit} éléments une fois les alias développés", "Limitez l'usage des ancres et alias (« & » et « * »)."),
        "en": ("the document exceeds {limit} nodes once aliases are expanded", "Use fewer anchors and aliases ('&' and '*')."),
    },
    "yaml.too_many_nodes": {
        "fr": ("le fichier dépasse {limit} éléments : trop gros pour un seul cours", "Découpez-le en plusieurs cours (un fichier par outil), chacun de quelques modules."),
        "en": ("the file exceeds {limit} nodes: too big for one course", "Split it into several courses (one file per tool), a few modules each."),
    },
    "yaml.huge_number": {
        "fr": ("nombre de {digits} chiffres : illisible", "Écrivez un nombre de quelques chiffres (une durée en minutes : « 15 »), ou mettez le texte entre guillemets."),
        "en": ("a number of {digits} digits: unreadable", "Write a number of a few digits (a duration in minutes: '15'), or quote the text."),
    },
    "file.encoding": {
        "fr": ("le fichier n'est pas en UTF-8 (octet invalide ligne {line})", "Enregistrez le fichier en UTF-8 dans votre éditeur."),
        "en": ("the file is not UTF-8 (invalid byte on line {line})", "Save the file as UTF-8 in your editor."),
    },
    "file.unreadable": {
        "fr": ("fichier illisible : {error}", "Vérifiez que le fichier existe et que vous avez le droit de le lire."),
        "en": ("cannot read the file: {error}", "Check that the file exists and that you may read it."),
    },
    "file.outside": {
        "fr": ("ce fichier est un lien vers un fichier hors du catalogue : il n'est pas lu", "Remplacez le lien par une copie du fichier dans le catalogue."),
        "en": ("this file is a link to a file outside the catalogue: it is not read", "Replace the link with a copy of the file inside the catalogue."),
    },
    "catalogue.no_settings": {
        "fr": ("pas de fichier catalogue.yml à la racine du catalogue", "Créez catalogue.yml (nom du site, base_iri, contact) à la racine du dossier des cours."),
        "en": ("no catalogue.yml at the catalogue root", "Create catalogue.yml (site name, base_iri, contact) at the root of the courses folder."),
    },
    "catalogue.not_found": {
        "fr": ("aucun catalogue trouvé ici (pas de catalogue.yml dans ce dossier ni au-dessus)", "Indiquez le dossier des cours, par exemple « coursepack validate courses/ »."),
        "en": ("no catalogue here (no catalogue.yml in this folder or above)", "Give the courses folder, for example 'coursepack validate courses/'."),
    },
    "catalogue.empty": {
        "fr": ("le catalogue ne contient aucun cours", "Ajoutez un cours avec « coursepack new tool ID »."),
        "en": ("the catalogue holds no course", "Add a course with 'coursepack new tool ID'."),
    },
    "settings.secret": {
        "fr": ("« {key} » ressemble à un secret : aucun secret dans le catalogue (il est versionné et publié)", "Retirez cette clé ; le jeton Moodle se donne par la variable d'environnement MOODLE_TOKEN, les identifiants du LRS par LRS_USERNAME / LRS_PASSWORD."),
        "en": ("'{key}' looks like a secret: no secret belongs in the catalogue (it is versioned and published)", "Remove this key; the Moodle token comes from the MOODLE_TOKEN environment variable, LRS credentials from LRS_USERNAME / LRS_PASSWORD."),
    },
    # --- schema -----------------------------------------------------------------------------
    "field.missing": {
        "fr": ("champ obligatoire « {field} » manquant", "Ajoutez « {field}: … » à cet endroit."),
        "en": ("required field '{field}' is missing", "Add '{field}: …' here."),
    },
    "field.unknown": {
        "fr": ("clé inconnue « {key} »", "Clés possibles ici : {allowed}."),
        "en": ("unknown key '{key}'", "Keys allowed here: {allowed}."),
    },
    "field.misplaced": {
        "fr": ("« {key} » est au niveau du bloc, alors qu'il appartient à « {owner} »", "Indentez « {key}: » comme les autres clés de « {owner} » (même nombre d'espaces, sous « {owner}: »)."),
        "en": ("'{key}' sits at the block's level but belongs to '{owner}'", "Indent '{key}:' like the other keys of '{owner}' (same number of spaces, under '{owner}:')."),
    },
    "quiz.answer_key": {
        "fr": ("« answer » ne s'emploie qu'avec « type: true_false »", "Pour une question à choix, marquez la bonne réponse dans la liste : « correct: true » sous le choix juste, et retirez « answer »."),
        "en": ("'answer' is only for 'type: true_false'", "For a choice question, mark the right answer in the list: 'correct: true' under the right choice, and remove 'answer'."),
    },
    "yaml.tab": {
        "fr": ("tabulation dans l'indentation (ligne {line})", "Remplacez les tabulations du début de ligne par des espaces (réglez votre éditeur pour qu'il insère des espaces)."),
        "en": ("tab in the indentation (line {line})", "Replace the tabs at the start of the line with spaces (set your editor to insert spaces)."),
    },
    "text.raw_url": {
        "fr": ("adresse web écrite en clair : « {url} »", "Écrivez un lien qui dit où il mène : [le site de la mairie]({url})."),
        "en": ("web address written out: '{url}'", "Write a link that says where it leads: [the town hall's site]({url})."),
    },
    "text.unsafe_link": {
        "fr": ("lien « {url} » refusé : seuls les liens web (https://), mailto: et tel: sont gardés", "Donnez une adresse qui commence par https://, ou retirez le lien : le paquet l'affichera comme du texte."),
        "en": ("link '{url}' refused: only web (https://), mailto: and tel: links are kept", "Give an address starting with https://, or remove the link: the package shows it as text."),
    },
    "text.html": {
        "fr": ("code HTML « {html} » : il s'affichera tel quel, balises comprises", "Écrivez en Markdown : **gras**, *italique*, listes « - », liens [texte](adresse)."),
        "en": ("HTML '{html}': it shows as written, tags included", "Write Markdown: **bold**, *italics*, '- ' lists, [text](address) links."),
    },
    "text.repeated_title": {
        "fr": ("le texte commence par « {start} », que la page affiche déjà en titre du bloc", "Retirez « {start} » du début du texte."),
        "en": ("the text starts with '{start}', which the page already shows as the block's title", "Remove '{start}' from the start of the text."),
    },
    "text.forbidden_char": {
        "fr": ("caractère invisible {char} en position {index} du texte : les manifestes XML l'interdisent, Moodle refuserait le paquet", "Retirez-le : il vient d'un échappement entre guillemets (« \\0 », « \\x07 ») ou d'un copier-coller ; retapez le texte à cet endroit."),
        "en": ("invisible character {char} at position {index} of the text: XML manifests forbid it, Moodle would refuse the package", "Remove it: it comes from an escape in double quotes ('\\0', '\\x07') or a copy-paste; type the text again there."),
    },
    "text.template": {
        "fr": ("« {text} » est le texte d'exemple de « coursepack new »", "Remplacez-le par le vôtre (ou retirez ce qui ne sert pas) avant de publier."),
        "en": ("'{text}' is the sample text of 'coursepack new'", "Replace it with your own (or remove what you do not need) before publishing."),
    },
    "text.remote_image": {
        "fr": ("image prise sur le web : « {url} »", "Enregistrez l'image dans le dossier media/ du catalogue (avec l'accord de son auteur) et écrivez ![ce qu'elle montre](media/…) : une image distante peut suivre les agents et ne s'affiche pas dans un Moodle en https."),
        "en": ("image taken from the web: '{url}'", "Save the image in the catalogue's media/ folder (with its author's permission) and write ![what it shows](media/…): a remote image can track agents and does not show in an https Moodle."),
    },
    "ref.in_broken_file": {
        "fr": ("{refs} de parcours {verb} vers ce fichier ({jobs}) : {them} {check} une fois ses erreurs corrigées", "Corrigez les erreurs ci-dessus ; rien à changer dans les parcours."),
        "en": ("{refs} from job paths {verb} to this file ({jobs}): {them} {check} once its errors are fixed", "Fix the errors above; nothing to change in the job paths."),
    },
    "text.colon": {
        "fr": ("le texte « {text} » est suivi de « : » et d'une espace, que YAML lit comme une clé", "Mettez tout le texte entre guillemets (\"…\"), ou remplacez « : » par une virgule ou un point."),
        "en": ("text '{text}' is followed by ': ', which YAML reads as a key", "Put the whole text in quotes (\"…\"), or replace ': ' with a comma or a full stop."),
    },
    "type.text": {
        "fr": ("un texte est attendu, pas {got}", "Mettez la valeur entre guillemets, par exemple « \"{value}\" »."),
        "en": ("text expected, not {got}", "Put the value in quotes, for example '\"{value}\"'."),
    },
    "type.integer": {
        "fr": ("un nombre entier est attendu, pas {got}", "Écrivez un nombre sans guillemets ni unité, par exemple « 15 »."),
        "en": ("a whole number is expected, not {got}", "Write a number without quotes or unit, for example '15'."),
    },
    "type.boolean": {
        "fr": ("true ou false est attendu, pas {got}", "Écrivez « true » (oui, vrai) ou « false » (non, faux), sans guillemets."),
        "en": ("true or false expected, not {got}", "Write 'true' (yes) or 'false' (no), without quotes."),
    },
    "type.list": {
        "fr": ("une liste est attendue, pas {got}", "Écrivez chaque élément sur sa propre ligne, commençant par « - »."),
        "en": ("a list is expected, not {got}", "Write each item on its own line starting with '- '."),
    },
    "type.mapping": {
        "fr": ("un groupe de clés est attendu, pas {got}", "Écrivez des lignes « clé: valeur » indentées sous ce champ."),
        "en": ("a mapping is expected, not {got}", "Write indented 'key: value' lines under this field."),
    },
    "value.choice": {
        "fr": ("valeur « {value} » non permise", "Valeurs possibles : {expected}."),
        "en": ("value '{value}' is not allowed", "Allowed values: {expected}."),
    },
    "value.slug": {
        "fr": ("identifiant « {value} » invalide", "Utilisez des minuscules sans accents, des chiffres et des tirets, par exemple « {example} »."),
        "en": ("invalid identifier '{value}'", "Use lowercase letters without accents, digits and hyphens, for example '{example}'."),
    },
    "value.empty": {
        "fr": ("le texte est vide", "Écrivez un texte, ou retirez ce champ s'il est facultatif."),
        "en": ("the text is empty", "Write some text, or remove the field if it is optional."),
    },
    "value.url": {
        "fr": ("adresse web « {value} » invalide", "Écrivez une adresse complète qui commence par https://"),
        "en": ("invalid web address '{value}'", "Write a full address starting with https://"),
    },
    "value.email": {
        "fr": ("adresse électronique « {value} » invalide", "Écrivez l'adresse seule, de la forme nom@domaine.fr : sans « mailto: », « ?subject= », espace ni balise."),
        "en": ("invalid e-mail address '{value}'", "Write the address alone, like name@domain.org: no 'mailto:', '?subject=', space or markup."),
    },
    "value.base_iri": {
        "fr": ("« {value} » ne peut pas commencer les identifiants xAPI", "Écrivez une adresse https:// sans espace, guillemet, « ? » ni « # », par exemple « https://formation.exemple.fr/xapi/ »."),
        "en": ("'{value}' cannot start the xAPI identifiers", "Write an https:// address with no space, quote, '?' or '#', for example 'https://training.example.org/xapi/'."),
    },
    "value.keyword": {
        "fr": ("mot-clé « {value} » refusé : Moodle coupe les étiquettes aux virgules et en garde 50 caractères", "Un mot-clé par élément de la liste, sans virgule, guillemet ni chevron, 50 caractères au plus : « keywords: [messagerie, courriel] »."),
        "en": ("keyword '{value}' refused: Moodle cuts tags at commas and keeps 50 characters", "One keyword per list item, with no comma, quote or angle bracket, 50 characters at most: 'keywords: [email, mail]'."),
    },
    "value.ref_format": {
        "fr": ("référence « {value} » invalide", "Écrivez « id-du-cours-outil/id-du-module », par exemple « messagerie/lire-ses-messages »."),
        "en": ("invalid reference '{value}'", "Write 'tool-course-id/module-id', for example 'messagerie/lire-ses-messages'."),
    },
    "value.version": {
        "fr": ("version « {value} » invalide", "Écrivez la version entre guillemets, avec des chiffres et des points : version: \"1.2\""),
        "en": ("invalid version '{value}'", "Write the version in quotes, digits and dots: version: \"1.2\""),
    },
    "value.too_long": {
        "fr": ("texte trop long (plus de {max} caractères)", "Raccourcissez-le : un titre ou une réponse tient en une ligne."),
        "en": ("text too long (more than {max} characters)", "Shorten it: a title or an answer fits on one line."),
    },
    "value.range": {
        "fr": ("la valeur {value} doit être {op} {limit}", "Écrivez une valeur {op} {limit}."),
        "en": ("value {value} must be {op} {limit}", "Write a value {op} {limit}."),
    },
    "list.too_short": {
        "fr": ("la liste doit avoir au moins {min_items}", "Ajoutez des éléments (lignes « - … »)."),
        "en": ("the list needs at least {min_items}", "Add items ('- …' lines)."),
    },
    "block.kind": {
        "fr": ("bloc non reconnu ({keys})", "Un bloc commence par un seul de ces mots : {expected}."),
        "en": ("unknown block ({keys})", "A block starts with exactly one of: {expected}."),
    },
    "document.kind": {
        "fr": ("type de document « {value} » inconnu", "Écrivez « kind: tool » pour un cours outil ou « kind: job » pour un parcours métier."),
        "en": ("unknown document kind '{value}'", "Write 'kind: tool' for a tool course or 'kind: job' for a job path."),
    },
    "question.type": {
        "fr": ("type de question « {value} » inconnu", "Types possibles : {expected}."),
        "en": ("unknown question type '{value}'", "Possible types: {expected}."),
    },
    "schema.other": {
        "fr": ("valeur invalide ({detail})", "Corrigez la valeur selon le guide de l'auteur (docs/guide-auteur.md)."),
        "en": ("invalid value ({detail})", "Fix the value as the authoring guide describes (docs/guide-auteur.md)."),
    },
    # --- identifiers and references ----------------------------------------------------
    "id.duplicate": {
        "fr": ("l'identifiant « {id} » est déjà utilisé ({first})", "Donnez un identifiant unique à chaque {kind}."),
        "en": ("identifier '{id}' is already used ({first})", "Give every {kind} its own identifier."),
    },
    "id.reserved": {
        "fr": ("l'identifiant « {id} » est un nom de fichier réservé par Windows", "Choisissez un autre identifiant, par exemple « {id}-outil » : le paquet « {id}.….zip » ne s'ouvrirait pas sous Windows."),
        "en": ("identifier '{id}' is a file name Windows reserves", "Choose another identifier, for example '{id}-tool': the package '{id}.….zip' would not open on Windows."),
    },
    "ref.unknown": {
        "fr": ("le module « {ref} » n'existe pas", "Vérifiez l'identifiant du cours outil et celui du module (« cours/module »)."),
        "en": ("module '{ref}' does not exist", "Check the tool course id and the module id ('course/module')."),
    },
    "ref.duplicate": {
        "fr": ("le module « {ref} » est déjà dans ce parcours", "Retirez le doublon."),
        "en": ("module '{ref}' is already in this path", "Remove the duplicate."),
    },
    "job.no_required": {
        "fr": ("aucun module obligatoire dans ce parcours", "Marquez au moins un module « required: true » pour que le parcours puisse être terminé."),
        "en": ("no required module in this path", "Mark at least one module 'required: true' so the path can be completed."),
    },
    # --- media --------------------------------------------------------------------------
    "media.absolute": {
        "fr": ("chemin absolu « {path} » refusé", "Écrivez un chemin relatif à la racine du catalogue, par exemple « media/{name} »."),
        "en": ("absolute path '{path}' refused", "Write a path relative to the catalogue root, for example 'media/{name}'."),
    },
    "media.outside": {
        "fr": ("le chemin « {path} » sort du catalogue", "Copiez le fichier dans le dossier media/ du catalogue et donnez ce chemin."),
        "en": ("path '{path}' leaves the catalogue", "Copy the file into the catalogue's media/ folder and give that path."),
    },
    "media.remote": {
        "fr": ("« {path} » est une adresse web : les médias doivent être dans le catalogue", "Téléchargez le fichier dans le dossier media/ du catalogue (avec l'accord de son auteur) et donnez son chemin."),
        "en": ("'{path}' is a web address: media must be inside the catalogue", "Save the file in the catalogue's media/ folder (with its author's permission) and give its path."),
    },
    "media.missing": {
        "fr": ("fichier « {path} » introuvable", "Vérifiez l'orthographe du chemin (majuscules comprises) et que le fichier est bien dans le catalogue."),
        "en": ("file '{path}' not found", "Check the path's spelling (case included) and that the file is in the catalogue."),
    },
    "media.kind": {
        "fr": ("« {path} » n'est pas un fichier {kind} accepté", "Formats acceptés : {expected}."),
        "en": ("'{path}' is not an accepted {kind} file", "Accepted formats: {expected}."),
    },
    "media.captions_format": {
        "fr": ("« {path} » n'est pas un fichier WebVTT (il doit commencer par « WEBVTT »)", "Exportez les sous-titres au format WebVTT (.vtt)."),
        "en": ("'{path}' is not a WebVTT file (it must start with 'WEBVTT')", "Export the captions as WebVTT (.vtt)."),
    },
    "media.heavy": {
        "fr": ("les médias de ce module pèsent {size} Mo : lourd à charger sur un téléphone en tournée", "Réduisez les images et vidéos pour rester sous {limit} Mo."),
        "en": ("this module's media weigh {size} MB: slow to load on a phone in the field", "Shrink images and videos to stay under {limit} MB."),
    },
    "media.image_heavy": {
        "fr": ("l'image « {path} » pèsera {size} Ko dans le paquet : long à charger sur un téléphone en 4G", "Recadrez la capture sur ce qui est utile et enregistrez-la en JPEG ou en PNG de {width} px de large au plus, pour rester sous {limit} Ko ; laissez « images: {{shrink: true}} » dans catalogue.yml pour que build la réduise."),
        "en": ("image '{path}' will weigh {size} KB in the package: slow to load on a phone on 4G", "Crop the screenshot to what matters and save it as JPEG or as PNG at most {width} px wide, to stay under {limit} KB; keep 'images: {{shrink: true}}' in catalogue.yml so that build shrinks it."),
    },
    "media.images_heavy": {
        "fr": ("les images de ce module pèseront {size} Ko dans le paquet : long à ouvrir sur un téléphone en 4G", "Gardez les captures utiles et recadrez-les, pour rester sous {limit} Ko par module ; ou découpez le module en deux."),
        "en": ("this module's images will weigh {size} KB in the package: slow to open on a phone on 4G", "Keep the useful screenshots and crop them, to stay under {limit} KB per module; or split the module in two."),
    },
    # --- accessibility ------------------------------------------------------------------
    "a11y.alt_missing": {
        "fr": ("texte alternatif manquant", "Ajoutez « alt: … » qui dit ce que l'image montre d'utile, ou « decorative: true » si elle est purement décorative."),
        "en": ("alternative text missing", "Add 'alt: …' saying what the image shows that matters, or 'decorative: true' if it is purely decorative."),
    },
    "a11y.alt_decorative": {
        "fr": ("image décorative avec un texte alternatif", "Retirez « alt » (une image décorative est ignorée) ou retirez « decorative: true »."),
        "en": ("decorative image with alternative text", "Remove 'alt' (a decorative image is skipped) or remove 'decorative: true'."),
    },
    "a11y.alt_filename": {
        "fr": ("le texte alternatif « {alt} » ressemble à un nom de fichier", "Décrivez ce que l'image montre, en une phrase courte."),
        "en": ("alternative text '{alt}' looks like a file name", "Describe what the image shows, in a short sentence."),
    },
    "a11y.alt_redundant": {
        "fr": ("le texte alternatif commence par « {start} »", "Les lecteurs d'écran annoncent déjà une image : commencez directement par ce qu'elle montre."),
        "en": ("alternative text starts with '{start}'", "Screen readers already announce an image: start with what it shows."),
    },
    "a11y.alt_too_long": {
        "fr": ("texte alternatif trop long ({length} caractères)", "Restez sous {max} caractères ; mettez les détails dans le texte de la page."),
        "en": ("alternative text too long ({length} characters)", "Stay under {max} characters; put details in the page text."),
    },
    "a11y.heading_h1": {
        "fr": ("titre de niveau 1 (« # ») dans le texte", "Le titre de la page est déjà le niveau 1 : commencez vos intertitres à « ## »."),
        "en": ("level-1 heading ('# ') in the text", "The page title is already level 1: start your headings at '## '."),
    },
    "a11y.heading_skip": {
        "fr": ("le titre saute du niveau {previous} au niveau {level}", "Ne sautez pas de niveau : utilisez « {fix} »."),
        "en": ("heading jumps from level {previous} to level {level}", "Do not skip levels: use '{fix}'."),
    },
    "a11y.link_text": {
        "fr": ("texte de lien peu parlant : « {text} »", "Le texte du lien doit dire où il mène, par exemple « [le planning des collectes](…) »."),
        "en": ("link text says nothing: '{text}'", "Link text must say where it leads, for example '[the collection schedule](…)'."),
    },
    "a11y.link_url_text": {
        "fr": ("le texte du lien est une adresse web", "Écrivez un texte qui dit où mène le lien : [texte](adresse)."),
        "en": ("the link text is a web address", "Write text saying where the link leads: [text](address)."),
    },
    # --- quiz -----------------------------------------------------------------------------
    "quiz.single_correct": {
        "fr": ("une question à choix unique doit avoir exactement une bonne réponse (ici {count})", "Mettez « correct: true » sur une seule réponse, ou passez en « type: multiple »."),
        "en": ("a single-choice question needs exactly one right answer (here {count})", "Set 'correct: true' on one answer only, or use 'type: multiple'."),
    },
    "quiz.multiple_no_correct": {
        "fr": ("aucune bonne réponse dans cette question à choix multiple", "Mettez « correct: true » sur au moins une réponse."),
        "en": ("no right answer in this multiple-choice question", "Set 'correct: true' on at least one answer."),
    },
    "quiz.duplicate_choice": {
        "fr": ("la réponse « {text} » est proposée deux fois", "Rendez chaque réponse différente."),
        "en": ("answer '{text}' is offered twice", "Make every answer different."),
    },
    "quiz.several": {
        "fr": ("ce module a déjà un quiz (page « {first} »)", "Un module a un seul quiz : regroupez les questions dans un seul bloc « quiz »."),
        "en": ("this module already has a quiz (page '{first}')", "A module has one quiz: put all questions in one 'quiz' block."),
    },
    "quiz.missing_for_rule": {
        "fr": ("la règle d'achèvement « {rule} » demande un quiz, mais ce module n'en a pas", "Ajoutez un bloc « quiz » ou choisissez « completion: {{rule: pages}} » pour ce module."),
        "en": ("completion rule '{rule}' needs a quiz, but this module has none", "Add a 'quiz' block or set 'completion: {{rule: pages}}' on this module."),
    },
    "quiz.answer_too_long": {
        "fr": ("réponse acceptée trop longue ({length} caractères, maximum {max})", "Une réponse à saisir doit être courte : un mot ou quelques mots."),
        "en": ("accepted answer too long ({length} characters, at most {max})", "A typed answer must be short: a word or a few."),
    },
    # --- SCORM 1.2 / Moodle app limits ----------------------------------------------------
    "scorm12.too_many_choices": {
        "fr": ("{count} éléments : SCORM 1.2 (application Moodle) n'en permet que {max} par question", "Réduisez à {max} éléments ou découpez la question."),
        "en": ("{count} items: SCORM 1.2 (Moodle app) allows only {max} per question", "Cut down to {max} items or split the question."),
    },
    "scorm12.suspend_data": {
        "fr": ("l'état de reprise de ce module peut atteindre {size} caractères : SCORM 1.2 (application Moodle) en garde {max}", "Découpez le module en deux, ou réduisez le nombre de questions ou de pages."),
        "en": ("this module's resume state can reach {size} characters: SCORM 1.2 (Moodle app) keeps {max}", "Split the module in two, or use fewer questions or pages."),
    },
    # --- Moodle's limits ----------------------------------------------------------------------
    "moodle.too_long": {
        "fr": ("{what} dans Moodle aurait {length} caractères ; Moodle en garde au plus {max} (« {value} »)", "Raccourcissez-le : Moodle refuserait la publication."),
        "en": ("{what} in Moodle would be {length} characters long; Moodle keeps at most {max} ('{value}')", "Make it shorter: Moodle would refuse the publication."),
    },
    "moodle.cohort_unknown_job": {
        "fr": ("aucun parcours métier n'a l'identifiant « {id} »", "Choisissez parmi : {jobs}."),
        "en": ("no job path has the id '{id}'", "Choose among: {jobs}."),
    },
    "value.phone": {
        "fr": ("numéro de téléphone « {value} » invalide", "Écrivez des chiffres, séparés au besoin par des espaces ou des points, par exemple « 03 85 12 34 56 » ou « +33 3 85 12 34 56 »."),
        "en": ("invalid phone number '{value}'", "Write digits, separated by spaces or dots if you like, for example '03 85 12 34 56' or '+33 3 85 12 34 56'."),
    },
}

#: What each Moodle field is called in the messages above.
MOODLE_FIELDS = {
    "idnumber": {"fr": "l'identifiant du cours", "en": "the course ID number"},
    "shortname": {"fr": "le nom abrégé du cours", "en": "the course short name"},
    "fullname": {"fr": "le nom complet du cours", "en": "the course full name"},
    "activity": {"fr": "l'identifiant de l'activité (cours/module)", "en": "the activity ID number (course/module)"},
    "section": {"fr": "le nom de la section", "en": "the section name"},
}

#: PyYAML's usual complaints, said the way a mediator can act on (matched by their start).
_YAML_PROBLEMS = {
    "mapping values are not allowed": {
        "fr": "deux-points inattendu : un texte contient sans doute « : » suivi d'une espace",
        "en": "unexpected colon: a text probably contains ': '",
    },
    "found character": {
        "fr": "caractère interdit à cet endroit (une tabulation, ou un texte qui commence par « @ » ou « ` »)",
        "en": "character not allowed here (a tab, or text starting with '@' or '`')",
    },
    "could not find expected ':'": {"fr": "deux-points attendu après la clé", "en": "colon expected after the key"},
    "did not find expected key": {"fr": "indentation incohérente", "en": "inconsistent indentation"},
    "expected <block end>": {"fr": "indentation incohérente", "en": "inconsistent indentation"},
    "did not find expected '-' indicator": {"fr": "indentation incohérente dans une liste", "en": "inconsistent indentation in a list"},
    "did not find expected ',' or ']'": {"fr": "liste entre crochets [ ] non refermée", "en": "bracketed list [ ] not closed"},
    "did not find expected ',' or '}'": {"fr": "groupe entre accolades { } non refermé", "en": "braced mapping { } not closed"},
    "found unexpected end of stream": {"fr": "fin du fichier inattendue : un guillemet n'est sans doute pas refermé", "en": "unexpected end of file: a quote is probably not closed"},
    "found undefined alias": {"fr": "alias « * » vers une ancre « & » qui n'existe pas", "en": "alias '*' to an anchor '&' that does not exist"},
    "but found another document": {"fr": "plusieurs documents (« --- ») dans un même fichier", "en": "several documents ('---') in one file"},
}


_YAML_UNKNOWN = {"fr": "le texte n'est pas du YAML valide à cet endroit", "en": "the text is not valid YAML here"}


def _yaml_problem(problem: str, lang: str) -> str:
    """PyYAML's complaint in the mediator's words; never its English text in a French message."""
    for start, texts in _YAML_PROBLEMS.items():
        if problem.startswith(start):
            return texts[lang]
    return _YAML_UNKNOWN[lang]


_SEVERITY = {
    "fr": {"error": "erreur", "warning": "avertissement"},
    "en": {"error": "error", "warning": "warning"},
}
_KIND_NAMES = {
    "fr": {"text": "un texte", "number": "un nombre", "boolean": "un booléen (true/false)", "list": "une liste",
           "mapping": "un groupe de clés", "nothing": "une valeur vide", "date": "une date"},
    "en": {"text": "text", "number": "a number", "boolean": "a boolean (true/false)", "list": "a list",
           "mapping": "a mapping", "nothing": "an empty value", "date": "a date"},
}
_ID_KINDS = {
    "fr": {"course": "cours", "module": "module", "page": "page", "question": "question",
           "image": "image", "video": "vidéo", "captions": "de sous-titres", "download": "à télécharger",
           "link": "lié"},
    "en": {"course": "course", "module": "module", "page": "page", "question": "question",
           "image": "image", "video": "video", "captions": "captions", "download": "download",
           "link": "linked"},
}
_OPS = {
    "fr": {">": "plus grande que", ">=": "au moins égale à", "<": "plus petite que", "<=": "au plus égale à"},
    "en": {">": "greater than", ">=": "at least", "<": "less than", "<=": "at most"},
}
_ITEMS: dict[str, tuple[str, str]] = {"fr": ("élément", "éléments"), "en": ("item", "items")}
_BROKEN_REFS: dict[str, dict[Any, Any]] = {
    "fr": {"refs": ("renvoi", "renvois"), False: {"verb": "mène", "them": "il sera", "check": "vérifié"},
           True: {"verb": "mènent", "them": "ils seront", "check": "vérifiés"}},
    "en": {"refs": ("reference", "references"), False: {"verb": "points", "them": "it will be", "check": "checked"},
           True: {"verb": "point", "them": "they will be", "check": "checked"}},
}
_DID_YOU_MEAN = {"fr": "Vouliez-vous dire « {suggestion} » ? ", "en": "Did you mean '{suggestion}'? "}


class _Params(dict):  # type: ignore[type-arg]
    """Missing parameters show as ``…`` instead of breaking the message."""

    def __missing__(self, key: str) -> str:
        return "…"


def render(code: str, params: dict[str, Any], lang: str = "fr") -> tuple[str, str]:
    lang = lang if lang in ("fr", "en") else "fr"
    entry = MESSAGES.get(code) or MESSAGES["schema.other"]
    values = _Params(params)
    if code not in MESSAGES:
        values["detail"] = code
    if "kind" in params:
        values["kind"] = _ID_KINDS[lang].get(params["kind"], params["kind"])
    if code == "yaml.syntax" and "problem" in params:
        values["problem"] = _yaml_problem(str(params["problem"]), lang)
    if "got" in params:
        values["got"] = kind_name(params["got"], lang)
    if "op" in params:
        values["op"] = _OPS[lang].get(params["op"], params["op"])
    if code == "ref.in_broken_file":
        many = int(params.get("count", 0)) > 1
        values.update(_BROKEN_REFS[lang][many])
        one, many_refs = _BROKEN_REFS[lang]["refs"]
        values["refs"] = plural(int(params.get("count", 0)), one, many_refs, lang=lang)
    if "min" in params:
        values["min_items"] = plural(int(params["min"] or 0), *_ITEMS[lang], lang=lang)
    if code == "moodle.too_long":
        values["what"] = MOODLE_FIELDS[params["what"]][lang]
    what, fix = (template.format_map(values) for template in entry[lang])
    if params.get("suggestion"):
        fix = _DID_YOU_MEAN[lang].format(suggestion=params["suggestion"]) + fix
    return what, fix


def kind_name(kind: str, lang: str = "fr") -> str:
    """``number`` → « un nombre »: what a value is, as the type messages name it."""
    return _KIND_NAMES.get(lang, _KIND_NAMES["fr"]).get(kind, kind)


def severity_label(severity: str, lang: str = "fr") -> str:
    return _SEVERITY.get(lang, _SEVERITY["fr"])[severity]


def plural(count: int, one: str, many: str, lang: str = "fr") -> str:
    """``1 erreur``, ``0 erreur``, ``2 erreurs``: French counts 0 and 1 as singular, English only 1."""
    singular = count in (0, 1) if lang == "fr" else count == 1
    return f"{count} {one if singular else many}"
