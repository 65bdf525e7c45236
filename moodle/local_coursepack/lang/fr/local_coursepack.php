<?php
// This file is part of CoursePack's companion plugin for Moodle.
//
// It is free software: you can redistribute it and/or modify it under the terms of the GNU
// General Public License as published by the Free Software Foundation, either version 3 of the
// License, or (at your option) any later version.

/**
 * Chaînes en français.
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['cohortnotfound'] = 'Aucune cohorte n\'a l\'identifiant « {$a} » : créez-la (Administration du site > Utilisateurs > Cohortes) ou corrigez le catalogue.';
$string['idnumbertoolong'] = 'L\'identifiant d\'activité « {$a} » dépasse 100 caractères.';
$string['invalidpackage'] = 'Le paquet n\'est pas un paquet SCORM valide : {$a}';
$string['nopackage'] = 'Aucun fichier dans la zone brouillon {$a} : déposez d\'abord le paquet avec /webservice/upload.php.';
$string['packagerequired'] = 'L\'activité « {$a} » n\'existe pas encore : il faut un paquet pour la créer.';
$string['pluginname'] = 'CoursePack';
$string['privacy:metadata'] = 'Le plugin CoursePack ne stocke aucune donnée personnelle. Il crée des activités SCORM et lit les tentatives que le module SCORM enregistre.';
$string['selfenroldisabled'] = 'L\'auto-inscription est désactivée sur ce site : activez-la dans Administration du site > Plugins > Inscriptions > Gestion des plugins d\'inscription.';
$string['task:sweepchanges'] = 'Noter les tentatives SCORM modifiées sans événement';
$string['unknownactivity'] = 'Le cours n\'a pas d\'activité CoursePack « {$a} » : publiez d\'abord son paquet.';
