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
 * The events that keep local_coursepack_changes up to date (classes/observer.php).
 *
 * mod_scorm fires them the same way in Moodle 4.3 to 5.2 (scorm_insert_track(), scorm_launch_sco(),
 * scorm_delete_attempt() in mod/scorm/locallib.php); the writes that fire none are caught by the
 * sweep task (db/tasks.php).
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$observers = [
    [
        'eventname' => '\mod_scorm\event\scoreraw_submitted',
        'callback' => '\local_coursepack\observer::track_submitted',
        'internal' => false,
    ],
    [
        'eventname' => '\mod_scorm\event\status_submitted',
        'callback' => '\local_coursepack\observer::track_submitted',
        'internal' => false,
    ],
    [
        'eventname' => '\mod_scorm\event\sco_launched',
        'callback' => '\local_coursepack\observer::sco_launched',
        'internal' => false,
    ],
    [
        'eventname' => '\mod_scorm\event\attempt_deleted',
        'callback' => '\local_coursepack\observer::attempt_deleted',
        'internal' => false,
    ],
    [
        'eventname' => '\core\event\course_module_completion_updated',
        'callback' => '\local_coursepack\observer::completion_updated',
        'internal' => false,
    ],
    [
        'eventname' => '\core\event\course_restored',
        'callback' => '\local_coursepack\observer::course_restored',
        'internal' => false,
    ],
    [
        'eventname' => '\core\event\course_content_deleted',
        'callback' => '\local_coursepack\observer::course_content_deleted',
        'internal' => false,
    ],
    [
        'eventname' => '\core\event\course_module_deleted',
        'callback' => '\local_coursepack\observer::module_deleted',
        'internal' => false,
    ],
];
