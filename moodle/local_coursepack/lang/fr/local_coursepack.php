<?php
// This file is part of Moodle - https://moodle.org/
//
// Moodle is free software: you can redistribute it and/or modify
// it under the terms of the GNU General Public License as published by
// the Free Software Foundation, either version 3 of the License, or
// (at your option) any later version.
//
// Moodle is distributed in the hope that it will be useful,
// but WITHOUT ANY WARRANTY; without even the implied warranty of
// MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
// GNU General Public License for more details.
//
// You should have received a copy of the GNU General Public License
// along with Moodle.  If not, see <https://www.gnu.org/licenses/>.

/**
 * Chaînes en français.
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['cohortnotfound'] = 'Aucune cohorte n\'a l\'identifiant « {$a} » : créez-la (Administration du site > Utilisateurs > Cohortes) ou corrigez le catalogue.';
$string['duplicateactivity'] = 'Le cours a plusieurs activités de numéro d\'identification « {$a->idnumber} » (modules {$a->cmids}) : supprimez-les toutes sauf une, puis publiez à nouveau.';
$string['idnumbertoolong'] = 'L\'identifiant d\'activité « {$a} » dépasse 100 caractères.';
$string['invalidpackage'] = 'Le paquet n\'est pas un paquet SCORM valide : {$a}';
$string['lockbusy'] = 'Une autre requête tient le verrou « {$a} » : réessayez dans un instant.';
$string['nopackage'] = 'Aucun fichier dans la zone brouillon {$a} : déposez d\'abord le paquet avec /webservice/upload.php.';
$string['packagerequired'] = 'L\'activité « {$a} » n\'existe pas encore : il faut un paquet pour la créer.';
$string['pluginname'] = 'CoursePack';
$string['privacy:metadata'] = 'Le plugin CoursePack ne stocke aucune donnée personnelle. Il crée des activités SCORM et lit les tentatives que le module SCORM enregistre.';
$string['selfenroldisabled'] = 'L\'auto-inscription est désactivée sur ce site : activez-la dans Administration du site > Plugins > Inscriptions > Gestion des plugins d\'inscription.';
$string['task:sweepchanges'] = 'Noter les tentatives SCORM modifiées sans événement';
$string['unknownactivity'] = 'Le cours n\'a pas d\'activité CoursePack « {$a} » : publiez d\'abord son paquet.';
