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
 * Web service functions and the pre-built "CoursePack" service.
 *
 * The service lists every function the coursepack command line calls, so that an admin only has
 * to authorise a user on it and create a token (see README.md).
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$functions = [
    'local_coursepack_save_scorm' => [
        'classname' => \local_coursepack\external\save_scorm::class,
        'description' => 'Create or update a SCORM activity, found by its ID number, from a package in the draft area.',
        'type' => 'write',
        'capabilities' => 'moodle/course:manageactivities, mod/scorm:addinstance',
    ],
    'local_coursepack_get_status' => [
        'classname' => \local_coursepack\external\get_status::class,
        'description' => 'Say which of the given capabilities the user lacks at system level, and which languages are installed.',
        'type' => 'read',
    ],
    'local_coursepack_get_state' => [
        'classname' => \local_coursepack\external\get_state::class,
        'description' => 'List the stored values of every category, course, section, self-enrolment and SCORM activity '
            . 'of one CoursePack catalogue.',
        'type' => 'read',
        'capabilities' => 'moodle/course:update',
    ],
    'local_coursepack_arrange_course' => [
        'classname' => \local_coursepack\external\arrange_course::class,
        'description' => 'One section per module in catalogue order, named after it; removed modules hidden.',
        'type' => 'write',
        'capabilities' => 'moodle/course:update, moodle/course:manageactivities, moodle/course:activityvisibility, '
            . 'moodle/course:sectionvisibility, moodle/course:movesections',
    ],
    'local_coursepack_save_enrolment' => [
        'classname' => \local_coursepack\external\save_enrolment::class,
        'description' => 'Enable self-enrolment on a course, optionally for one cohort only.',
        'type' => 'write',
        'capabilities' => 'moodle/course:enrolconfig, enrol/self:config',
    ],
    'local_coursepack_get_results' => [
        'classname' => \local_coursepack\external\get_results::class,
        'description' => 'List CoursePack SCORM attempts changed after a (time, attempt id) key, with status, score, time '
            . 'and completion.',
        'type' => 'read',
        'capabilities' => 'mod/scorm:viewreport',
    ],
    'local_coursepack_acquire_publish_lock' => [
        'classname' => \local_coursepack\external\acquire_publish_lock::class,
        'description' => 'Take or renew the publish lease of a catalogue; refused, naming the holder, while another run holds it.',
        'type' => 'write',
        'capabilities' => 'moodle/course:update',
    ],
    'local_coursepack_release_publish_lock' => [
        'classname' => \local_coursepack\external\release_publish_lock::class,
        'description' => 'Give back the publish lease of a catalogue.',
        'type' => 'write',
        'capabilities' => 'moodle/course:update',
    ],
];

$services = [
    'CoursePack' => [
        'shortname' => 'coursepack',
        'functions' => [
            'local_coursepack_save_scorm',
            'local_coursepack_get_status',
            'local_coursepack_get_state',
            'local_coursepack_arrange_course',
            'local_coursepack_save_enrolment',
            'local_coursepack_get_results',
            'local_coursepack_acquire_publish_lock',
            'local_coursepack_release_publish_lock',
            'core_webservice_get_site_info',
            'core_course_get_categories',
            'core_course_create_categories',
            'core_course_update_categories',
            'core_course_get_courses_by_field',
            'core_course_create_courses',
            'core_course_update_courses',
            'core_course_get_course_module',
            'mod_scorm_get_scorms_by_courses',
            'core_enrol_get_enrolled_users',
            'core_user_get_users_by_field',
            'core_completion_get_activities_completion_status',
            'mod_scorm_get_scorm_attempt_count',
            'mod_scorm_get_scorm_scoes',
            'mod_scorm_get_scorm_sco_tracks',
            'gradereport_user_get_grade_items',
        ],
        'restrictedusers' => 1,
        'enabled' => 1,
        'uploadfiles' => 1,
        'downloadfiles' => 1,
    ],
];
