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
 * English strings.
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$string['cohortnotfound'] = 'No cohort has the ID number "{$a}": create it (Site administration > Users > Cohorts) or correct the catalogue.';
$string['duplicateactivity'] = 'The course has several activities with the ID number "{$a->idnumber}" (course modules {$a->cmids}): delete all but one, then publish again.';
$string['idnumbertoolong'] = 'The activity ID number "{$a}" is longer than 100 characters.';
$string['invalidpackage'] = 'The package is not a valid SCORM package: {$a}';
$string['lockbusy'] = 'Another request holds the lock "{$a}": try again in a moment.';
$string['nopackage'] = 'No file in draft area {$a}: upload the package with /webservice/upload.php first.';
$string['packagerequired'] = 'Activity "{$a}" does not exist yet: a package is needed to create it.';
$string['pluginname'] = 'CoursePack';
$string['privacy:metadata'] = 'The CoursePack plugin stores no personal data. It creates SCORM activities and reads the attempts that the SCORM module stores.';
$string['selfenroldisabled'] = 'Self enrolment is disabled on this site: enable it in Site administration > Plugins > Enrolments > Manage enrol plugins.';
$string['task:sweepchanges'] = 'Note SCORM attempts changed without an event';
$string['unknownactivity'] = 'The course has no CoursePack activity "{$a}": publish its package first.';
