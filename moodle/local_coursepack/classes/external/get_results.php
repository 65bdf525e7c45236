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

namespace local_coursepack\external;

use core_external\external_api;
use core_external\external_function_parameters;
use core_external\external_multiple_structure;
use core_external\external_single_structure;
use core_external\external_value;

/**
 * CoursePack's SCORM attempts changed after a point, oldest change first, one page at a time.
 *
 * Core can give the same data, but only learner by learner and activity by activity (enrolled
 * users, attempt counts, SCO tracks, completion): thousands of calls for a catalogue. This reads
 * the attempts of one catalogue's CoursePack activities (course module ID number "coursepack:…"
 * for the default catalogue, "coursepack:<catalogue>:…" for a named one) in the order of the key
 * (time of the attempt's last change, attempt id), strictly after the key the caller gives: a
 * keyset, so that an attempt changing between two pages is never skipped (it moves to a later
 * page), and several attempts changed in the same second are never cut in two. The keys come
 * from the plugin's own table of changed attempts (classes/local/changes.php), read along its
 * (timemodified, attemptid) index: mod_scorm's tables are only read, never altered. Only
 * activities where the caller may view SCORM reports are listed, and only the identity fields
 * the caller asks for are returned.
 *
 * Each attempt also carries what the learner did inside it, as Moodle stored it: the SCORM
 * interactions (one per answer: CoursePack's player writes a new index for every try), the
 * location (the page the learner is on), the suspend data (the pages seen) and the start time,
 * each interaction and the location with the time Moodle stored them (scorm_scoes_value's
 * timemodified: the runtime's own times have no date in SCORM 1.2, no time zone in 2004).
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class get_results extends external_api {
    /** @var int Largest page a caller may ask for. */
    const MAX_PER_PAGE = 5000;

    /** @var string[] Identity fields a caller may ask for, and the result field of each. */
    const IDENTITY = ['username' => 'username', 'idnumber' => 'useridnumber', 'email' => 'email'];

    /** @var string[] The track elements read, SCORM 1.2 and 2004 names. */
    const ELEMENTS = ['cmi.core.lesson_status', 'cmi.completion_status', 'cmi.success_status', 'cmi.core.score.raw',
        'cmi.score.raw', 'cmi.core.score.min', 'cmi.score.min', 'cmi.core.score.max', 'cmi.score.max',
        'cmi.core.total_time', 'cmi.total_time', 'cmi.core.lesson_location', 'cmi.location', 'cmi.suspend_data',
        'x.start.time'];

    /** @var string[] The interaction fields read, SCORM 1.2 and 2004 names, and the result field of each. */
    const INTERACTION = ['id' => 'id', 'type' => 'type', 'student_response' => 'response', 'learner_response' => 'response',
        'result' => 'result', 'latency' => 'latency', 'time' => 'time', 'timestamp' => 'time'];

    /** @var int Attempts whose tracks are read in one query: bounds the rows held at once. */
    const TRACK_CHUNK = 1000;

    /**
     * Parameters.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'since' => new external_value(
                PARAM_INT,
                'Time of the last result the caller has (keyset, with afterid)',
                VALUE_DEFAULT,
                0
            ),
            'afterid' => new external_value(PARAM_INT, 'Attempt id of the last result the caller has', VALUE_DEFAULT, 0),
            'perpage' => new external_value(PARAM_INT, 'Attempts per page (at most 5000)', VALUE_DEFAULT, 100),
            'identity' => new external_multiple_structure(
                new external_value(PARAM_ALPHA, 'username, idnumber or email'),
                'User fields to return',
                VALUE_DEFAULT,
                ['username']
            ),
            'catalogue' => new external_value(
                PARAM_ALPHANUMEXT,
                'Catalogue id; empty for the default catalogue',
                VALUE_DEFAULT,
                ''
            ),
        ]);
    }

    /**
     * One page of changed attempts.
     *
     * @param int $since
     * @param int $afterid
     * @param int $perpage
     * @param array $identity
     * @param string $catalogue
     * @return array
     */
    public static function execute(
        int $since = 0,
        int $afterid = 0,
        int $perpage = 100,
        array $identity = ['username'],
        string $catalogue = ''
    ): array {
        global $DB;
        $timenow = time();
        $params = self::validate_parameters(self::execute_parameters(), ['since' => $since, 'afterid' => $afterid,
            'perpage' => $perpage, 'identity' => $identity, 'catalogue' => $catalogue]);
        if ($params['perpage'] < 1 || $params['perpage'] > self::MAX_PER_PAGE) {
            throw new \invalid_parameter_exception('perpage must be between 1 and ' . self::MAX_PER_PAGE);
        }
        $fields = array_values(array_unique($params['identity']));
        foreach ($fields as $field) {
            if (!isset(self::IDENTITY[$field])) {
                throw new \invalid_parameter_exception('identity fields are username, idnumber and email');
            }
        }
        self::validate_context(\context_system::instance());

        // 1. The page's keys, in key order, read along the (timemodified, attemptid) index of the
        // plugin's table, so that a page costs the same at the start and at the end of 50,000.
        // Joined to scorm_attempt: a row whose attempt is gone is never a key.
        $cms = self::our_activities($params['catalogue']);
        if (!$cms) {
            return ['results' => [], 'hasmore' => false, 'timenow' => $timenow];
        }
        [$incms, $cmparams] = $DB->get_in_or_equal($cms, SQL_PARAMS_NAMED, 'cm');
        $keys = $DB->get_records_sql(
            "SELECT c.attemptid, c.timemodified
               FROM {local_coursepack_changes} c
               JOIN {scorm_attempt} a ON a.id = c.attemptid
              WHERE c.timemodified >= :since1
                AND (c.timemodified > :since2 OR c.attemptid > :afterid)
                AND c.cmid $incms
           ORDER BY c.timemodified ASC, c.attemptid ASC",
            ['since1' => $params['since'], 'since2' => $params['since'], 'afterid' => $params['afterid']] + $cmparams,
            0,
            $params['perpage'] + 1
        );
        $hasmore = count($keys) > $params['perpage'];
        $keys = array_slice($keys, 0, $params['perpage'], true);
        if (!$keys) {
            return ['results' => [], 'hasmore' => false, 'timenow' => $timenow];
        }

        // 2. Who and where, for those attempts only.
        [$inattempts, $attemptparams] = $DB->get_in_or_equal(array_keys($keys), SQL_PARAMS_NAMED, 'att');
        $details = $DB->get_records_sql(
            "SELECT a.id AS attemptid, a.userid, a.scormid, a.attempt,
                    cm.id AS cmid, cm.idnumber AS cmidnumber, c.id AS courseid, c.idnumber AS courseidnumber,
                    u.username, u.idnumber AS useridnumber, u.email,
                    cmc.completionstate, cmc.timemodified AS timecompleted
               FROM {scorm_attempt} a
               JOIN {modules} m ON m.name = 'scorm'
               JOIN {course_modules} cm ON cm.module = m.id AND cm.instance = a.scormid
               JOIN {course} c ON c.id = cm.course
               JOIN {user} u ON u.id = a.userid
          LEFT JOIN {course_modules_completion} cmc ON cmc.coursemoduleid = cm.id AND cmc.userid = a.userid
              WHERE a.id $inattempts",
            $attemptparams
        );
        $rows = [];
        foreach ($keys as $attemptid => $key) {
            if (isset($details[$attemptid])) {
                $rows[] = (object) ((array) $details[$attemptid] + ['timemodified' => $key->timemodified]);
            }
        }
        $tracks = self::tracks(array_column($rows, 'attemptid'));

        $results = [];
        $allowed = [];
        foreach ($rows as $row) {
            if (!isset($allowed[$row->cmid])) {
                $allowed[$row->cmid] = has_capability('mod/scorm:viewreport', \context_module::instance($row->cmid));
            }
            if (!$allowed[$row->cmid]) {
                continue;
            }
            $results[] = self::result($row, $tracks[$row->attemptid] ?? [], $fields);
        }
        return ['results' => $results, 'hasmore' => $hasmore, 'timenow' => $timenow];
    }

    /**
     * The course module ids of one catalogue's SCORM activities: what the key scan is restricted to.
     *
     * @param string $catalogue catalogue id, '' for the default catalogue
     * @return int[]
     */
    private static function our_activities(string $catalogue): array {
        global $DB;
        [$ours, $params] = \local_coursepack\local\objects::ours('cm.idnumber');
        $activities = $DB->get_records_sql_menu(
            "SELECT cm.id, cm.idnumber
               FROM {course_modules} cm
               JOIN {modules} m ON m.id = cm.module AND m.name = 'scorm'
              WHERE $ours",
            $params
        );
        $found = [];
        foreach ($activities as $cmid => $idnumber) {
            if (\local_coursepack\local\objects::owns((string) $idnumber, $catalogue)) {
                $found[] = (int) $cmid;
            }
        }
        return $found;
    }

    /**
     * The track elements and the interactions of these attempts, a bounded number of attempts a query.
     *
     * @param int[] $attemptids
     * @return array attempt id => ['values' => element => value, 'times' => element => time,
     *     'interactions' => index => field => value, with 'timemodified' the earliest time of its rows]
     */
    private static function tracks(array $attemptids): array {
        global $DB;
        $tracks = [];
        foreach (array_chunk($attemptids, self::TRACK_CHUNK) as $chunk) {
            [$inattempts, $params] = $DB->get_in_or_equal($chunk, SQL_PARAMS_NAMED, 'att');
            [$inelements, $elementparams] = $DB->get_in_or_equal(self::ELEMENTS, SQL_PARAMS_NAMED, 'el');
            $sql = "SELECT v.id, v.attemptid, e.element, v.value, v.timemodified
                      FROM {scorm_scoes_value} v
                      JOIN {scorm_element} e ON e.id = v.elementid
                     WHERE v.attemptid $inattempts
                       AND (e.element $inelements OR " . $DB->sql_like('e.element', ':interactions') . ")";
            // Not a recordset: Moodle reads one through a cursor, which PostgreSQL plans for the first
            // rows (a walk along scorm_scoes_value's primary key, 40 times slower at 500 attempts a
            // page); in id order all the same, so that the latest of two values of an element wins.
            $values = $DB->get_records_sql($sql, $params + $elementparams + ['interactions' => 'cmi.interactions%']);
            ksort($values);
            foreach ($values as $value) {
                self::add_value($tracks[$value->attemptid], $value);
            }
        }
        return $tracks;
    }

    /**
     * One stored value into its attempt's tracks: an element, or a field of an interaction.
     *
     * @param array|null $track the attempt's tracks so far
     * @param \stdClass $value the row: element, value, timemodified
     */
    private static function add_value(?array &$track, \stdClass $value): void {
        $track = $track ?? ['values' => [], 'times' => [], 'interactions' => []];
        $time = (int) $value->timemodified;
        // Moodle's runtimes post cmi.interactions.N.x as cmi.interactions_N.x: both are read.
        if (!preg_match('/^cmi\.interactions[._](\d+)\.([a-z_]+)$/', $value->element, $parts)) {
            if (in_array($value->element, self::ELEMENTS, true)) {
                $track['values'][$value->element] = (string) $value->value;
                $track['times'][$value->element] = $time;
            }
            return;
        }
        if (!isset(self::INTERACTION[$parts[2]])) {
            return; // Correct responses, objectives, weighting: the package's, not the learner's.
        }
        $index = (int) $parts[1];
        $interaction = $track['interactions'][$index] ?? ['index' => $index, 'timemodified' => $time];
        $interaction[self::INTERACTION[$parts[2]]] = (string) $value->value;
        $interaction['timemodified'] = min($interaction['timemodified'], $time);
        $track['interactions'][$index] = $interaction;
    }

    /**
     * One attempt as the client wants it: who, where, status, score, time, completion, answers, page.
     *
     * @param \stdClass $row
     * @param array $tracks as tracks() gives them for this attempt
     * @param string[] $fields identity fields asked for
     * @return array
     */
    private static function result(\stdClass $row, array $tracks, array $fields): array {
        $track = $tracks['values'] ?? [];
        $value = function (string ...$elements) use ($track): string {
            foreach ($elements as $element) {
                if (isset($track[$element]) && $track[$element] !== '') {
                    return $track[$element];
                }
            }
            return '';
        };
        $result = [
            'attemptid' => (int) $row->attemptid,
            'userid' => (int) $row->userid,
            'courseid' => (int) $row->courseid,
            'courseidnumber' => (string) $row->courseidnumber,
            'cmid' => (int) $row->cmid,
            'cmidnumber' => (string) $row->cmidnumber,
            'scormid' => (int) $row->scormid,
            'attempt' => (int) $row->attempt,
            'lessonstatus' => $value('cmi.core.lesson_status', 'cmi.completion_status'),
            'successstatus' => $value('cmi.success_status'),
            'scoreraw' => $value('cmi.core.score.raw', 'cmi.score.raw'),
            'scoremin' => $value('cmi.core.score.min', 'cmi.score.min'),
            'scoremax' => $value('cmi.core.score.max', 'cmi.score.max'),
            'totaltime' => $value('cmi.core.total_time', 'cmi.total_time'),
            'timemodified' => (int) $row->timemodified,
            'completionstate' => (int) ($row->completionstate ?? 0),
            'timecompleted' => (int) ($row->timecompleted ?? 0),
            'location' => $value('cmi.core.lesson_location', 'cmi.location'),
            'locationtime' => (int) ($tracks['times']['cmi.core.lesson_location'] ?? $tracks['times']['cmi.location'] ?? 0),
            'suspenddata' => $value('cmi.suspend_data'),
            'timestarted' => (int) $value('x.start.time'),
            'interactions' => [],
        ];
        $interactions = $tracks['interactions'] ?? [];
        ksort($interactions);
        foreach ($interactions as $interaction) {
            if (($interaction['id'] ?? '') === '') {
                continue; // Without its id a record names no question.
            }
            $result['interactions'][] = $interaction + ['type' => '', 'response' => '', 'result' => '', 'latency' => '',
                'time' => ''];
        }
        foreach ($fields as $field) {
            $result[self::IDENTITY[$field]] = (string) $row->{self::IDENTITY[$field]};
        }
        return $result;
    }

    /**
     * What the function returns.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'results' => new external_multiple_structure(new external_single_structure([
                'attemptid' => new external_value(PARAM_INT, 'Attempt id (second part of the keyset)'),
                'userid' => new external_value(PARAM_INT, 'User id'),
                'username' => new external_value(PARAM_RAW, 'Username, when asked for', VALUE_OPTIONAL),
                'useridnumber' => new external_value(PARAM_RAW, 'User ID number, when asked for', VALUE_OPTIONAL),
                'email' => new external_value(PARAM_RAW, 'E-mail address, when asked for', VALUE_OPTIONAL),
                'courseid' => new external_value(PARAM_INT, 'Course id'),
                'courseidnumber' => new external_value(PARAM_RAW, 'Course ID number'),
                'cmid' => new external_value(PARAM_INT, 'Course module id'),
                'cmidnumber' => new external_value(PARAM_RAW, 'Activity ID number'),
                'scormid' => new external_value(PARAM_INT, 'SCORM instance id'),
                'attempt' => new external_value(PARAM_INT, 'Attempt number'),
                // Any value a SCORM runtime stores ("not attempted" has a space): never fail the page for it.
                'lessonstatus' => new external_value(PARAM_RAW, 'cmi.core.lesson_status or cmi.completion_status'),
                'successstatus' => new external_value(PARAM_RAW, 'cmi.success_status (SCORM 2004)'),
                'scoreraw' => new external_value(PARAM_RAW, 'Raw score, empty when none'),
                'scoremin' => new external_value(PARAM_RAW, 'Minimum score'),
                'scoremax' => new external_value(PARAM_RAW, 'Maximum score'),
                'totaltime' => new external_value(PARAM_RAW, 'Total time in the SCORM version\'s format'),
                'timemodified' => new external_value(PARAM_INT, 'Last change of the attempt, Unix time (first part of the keyset)'),
                'completionstate' => new external_value(PARAM_INT, 'Activity completion state: 0 to 3'),
                'timecompleted' => new external_value(PARAM_INT, 'Time of the completion state, Unix time'),
                'location' => new external_value(
                    PARAM_RAW,
                    'cmi.core.lesson_location or cmi.location',
                    VALUE_OPTIONAL
                ),
                'locationtime' => new external_value(PARAM_INT, 'When Moodle stored the location, Unix time', VALUE_OPTIONAL),
                'suspenddata' => new external_value(PARAM_RAW, 'cmi.suspend_data', VALUE_OPTIONAL),
                'timestarted' => new external_value(PARAM_INT, 'x.start.time: when the attempt began, Unix time', VALUE_OPTIONAL),
                'interactions' => new external_multiple_structure(new external_single_structure([
                    'index' => new external_value(PARAM_INT, 'n of cmi.interactions.n'),
                    'id' => new external_value(PARAM_RAW, 'cmi.interactions.n.id'),
                    'type' => new external_value(PARAM_RAW, 'cmi.interactions.n.type'),
                    'response' => new external_value(PARAM_RAW, 'student_response (1.2) or learner_response (2004)'),
                    'result' => new external_value(PARAM_RAW, 'cmi.interactions.n.result'),
                    'latency' => new external_value(PARAM_RAW, 'cmi.interactions.n.latency'),
                    'time' => new external_value(PARAM_RAW, 'time (1.2) or timestamp (2004), as the runtime wrote it'),
                    'timemodified' => new external_value(PARAM_INT, 'When Moodle first stored it, Unix time'),
                ]), 'SCORM interactions, in index order', VALUE_OPTIONAL),
            ])),
            'hasmore' => new external_value(PARAM_BOOL, 'Whether another page follows'),
            'timenow' => new external_value(PARAM_INT, 'Server time when the query started'),
        ]);
    }
}
