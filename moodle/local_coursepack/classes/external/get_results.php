<?php
// This file is part of CoursePack's companion plugin for Moodle.
//
// It is free software: you can redistribute it and/or modify it under the terms of the GNU
// General Public License as published by the Free Software Foundation, either version 3 of the
// License, or (at your option) any later version.

namespace local_coursepack\external;

use core_external\external_api;
use core_external\external_function_parameters;
use core_external\external_multiple_structure;
use core_external\external_single_structure;
use core_external\external_value;

/**
 * SCORM attempts changed since a time, one page at a time.
 *
 * Core can give the same data, but only learner by learner and activity by activity (enrolled
 * users, attempt counts, SCO tracks, completion): thousands of calls for a catalogue. This reads
 * the attempts that changed, oldest change first, so that a client can move a cursor forward
 * and resume after an interruption. Only activities where the caller may view SCORM reports
 * are listed.
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class get_results extends external_api {

    /** @var int Largest page a caller may ask for. */
    const MAX_PER_PAGE = 500;

    /**
     * Parameters.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'since' => new external_value(PARAM_INT, 'Unix time: attempts changed strictly after it', VALUE_DEFAULT, 0),
            'page' => new external_value(PARAM_INT, 'Page number, from 0', VALUE_DEFAULT, 0),
            'perpage' => new external_value(PARAM_INT, 'Attempts per page (at most 500)', VALUE_DEFAULT, 100),
        ]);
    }

    /**
     * One page of changed attempts.
     *
     * @param int $since
     * @param int $page
     * @param int $perpage
     * @return array
     */
    public static function execute(int $since = 0, int $page = 0, int $perpage = 100): array {
        global $CFG, $DB;
        require_once($CFG->dirroot . '/mod/scorm/locallib.php');
        require_once($CFG->libdir . '/completionlib.php');

        $params = self::validate_parameters(self::execute_parameters(),
            ['since' => $since, 'page' => $page, 'perpage' => $perpage]);
        if ($params['page'] < 0 || $params['perpage'] < 1 || $params['perpage'] > self::MAX_PER_PAGE) {
            throw new \invalid_parameter_exception('page must be >= 0 and perpage between 1 and ' . self::MAX_PER_PAGE);
        }
        self::validate_context(\context_system::instance());

        $sql = "SELECT a.id, a.userid, a.scormid, a.attempt, MAX(v.timemodified) AS timemodified
                  FROM {scorm_attempt} a
                  JOIN {scorm_scoes_value} v ON v.attemptid = a.id
              GROUP BY a.id, a.userid, a.scormid, a.attempt
                HAVING MAX(v.timemodified) > :since
              ORDER BY MAX(v.timemodified) ASC, a.id ASC";
        $rows = $DB->get_records_sql($sql, ['since' => $params['since']],
            $params['page'] * $params['perpage'], $params['perpage'] + 1);
        $hasmore = count($rows) > $params['perpage'];
        $rows = array_slice($rows, 0, $params['perpage']);

        $results = [];
        $allowed = [];
        foreach ($rows as $row) {
            $scorm = $DB->get_record('scorm', ['id' => $row->scormid], 'id, course, launch, version', IGNORE_MISSING);
            $cm = $scorm ? get_coursemodule_from_instance('scorm', $scorm->id, $scorm->course, false, IGNORE_MISSING) : null;
            if (!$cm) {
                continue;
            }
            $context = \context_module::instance($cm->id);
            if (!isset($allowed[$cm->id])) {
                $allowed[$cm->id] = has_capability('mod/scorm:viewreport', $context);
            }
            if (!$allowed[$cm->id]) {
                continue;
            }
            $results[] = self::result($row, $scorm, $cm);
        }
        return ['results' => $results, 'hasmore' => $hasmore, 'timenow' => time()];
    }

    /**
     * One attempt as the client wants it: who, where, status, score, time, completion.
     *
     * @param \stdClass $row
     * @param \stdClass $scorm
     * @param \stdClass $cm
     * @return array
     */
    private static function result(\stdClass $row, \stdClass $scorm, \stdClass $cm): array {
        global $DB;
        $user = $DB->get_record('user', ['id' => $row->userid], 'id, username, idnumber, email', MUST_EXIST);
        $course = get_course($cm->course);
        $track = scorm_get_tracks($scorm->launch, $row->userid, $row->attempt) ?: new \stdClass();
        $value = function (string ...$elements) use ($track): string {
            foreach ($elements as $element) {
                if (isset($track->$element) && $track->$element !== '') {
                    return (string) $track->$element;
                }
            }
            return '';
        };
        $completion = new \completion_info($course);
        $state = $completion->is_enabled($cm) ? $completion->get_data($cm, false, $row->userid) : null;
        return [
            'userid' => (int) $user->id,
            'username' => $user->username,
            'useridnumber' => (string) $user->idnumber,
            'email' => (string) $user->email,
            'courseid' => (int) $course->id,
            'courseidnumber' => (string) $course->idnumber,
            'cmid' => (int) $cm->id,
            'cmidnumber' => (string) $cm->idnumber,
            'scormid' => (int) $scorm->id,
            'attempt' => (int) $row->attempt,
            'lessonstatus' => $value('cmi.core.lesson_status', 'cmi.completion_status'),
            'successstatus' => $value('cmi.success_status'),
            'scoreraw' => $value('cmi.core.score.raw', 'cmi.score.raw'),
            'scoremin' => $value('cmi.core.score.min', 'cmi.score.min'),
            'scoremax' => $value('cmi.core.score.max', 'cmi.score.max'),
            'totaltime' => $value('cmi.core.total_time', 'cmi.total_time'),
            'timemodified' => (int) $row->timemodified,
            'completionstate' => $state ? (int) $state->completionstate : 0,
            'timecompleted' => $state ? (int) $state->timemodified : 0,
        ];
    }

    /**
     * What the function returns.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'results' => new external_multiple_structure(new external_single_structure([
                'userid' => new external_value(PARAM_INT, 'User id'),
                'username' => new external_value(PARAM_RAW, 'Username'),
                'useridnumber' => new external_value(PARAM_RAW, 'User ID number'),
                'email' => new external_value(PARAM_RAW, 'E-mail address'),
                'courseid' => new external_value(PARAM_INT, 'Course id'),
                'courseidnumber' => new external_value(PARAM_RAW, 'Course ID number'),
                'cmid' => new external_value(PARAM_INT, 'Course module id'),
                'cmidnumber' => new external_value(PARAM_RAW, 'Activity ID number'),
                'scormid' => new external_value(PARAM_INT, 'SCORM instance id'),
                'attempt' => new external_value(PARAM_INT, 'Attempt number'),
                'lessonstatus' => new external_value(PARAM_ALPHAEXT, 'cmi.core.lesson_status or cmi.completion_status'),
                'successstatus' => new external_value(PARAM_ALPHAEXT, 'cmi.success_status (SCORM 2004)'),
                'scoreraw' => new external_value(PARAM_RAW, 'Raw score, empty when none'),
                'scoremin' => new external_value(PARAM_RAW, 'Minimum score'),
                'scoremax' => new external_value(PARAM_RAW, 'Maximum score'),
                'totaltime' => new external_value(PARAM_RAW, 'Total time in the SCORM version\'s format'),
                'timemodified' => new external_value(PARAM_INT, 'Last change of the attempt, Unix time'),
                'completionstate' => new external_value(PARAM_INT, 'Activity completion state: 0 to 3'),
                'timecompleted' => new external_value(PARAM_INT, 'Time of the completion state, Unix time'),
            ])),
            'hasmore' => new external_value(PARAM_BOOL, 'Whether another page follows'),
            'timenow' => new external_value(PARAM_INT, 'Server time of the answer'),
        ]);
    }
}
