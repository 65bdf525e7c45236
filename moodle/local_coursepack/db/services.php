<?php
// This file is part of CoursePack's companion plugin for Moodle.
//
// It is free software: you can redistribute it and/or modify it under the terms of the GNU
// General Public License as published by the Free Software Foundation, either version 3 of the
// License, or (at your option) any later version.

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
    'local_coursepack_get_results' => [
        'classname' => \local_coursepack\external\get_results::class,
        'description' => 'List SCORM attempts changed since a time, with status, score, time and activity completion.',
        'type' => 'read',
        'capabilities' => 'mod/scorm:viewreport',
    ],
];

$services = [
    'CoursePack' => [
        'shortname' => 'coursepack',
        'functions' => [
            'local_coursepack_save_scorm',
            'local_coursepack_get_results',
            'core_webservice_get_site_info',
            'core_course_get_categories',
            'core_course_create_categories',
            'core_course_get_courses_by_field',
            'core_course_create_courses',
            'core_course_update_courses',
            'core_course_get_course_module',
            'mod_scorm_get_scorms_by_courses',
            'core_enrol_get_enrolled_users',
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
