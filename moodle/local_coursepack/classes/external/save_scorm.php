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
use core_external\external_single_structure;
use core_external\external_value;
use local_coursepack\local\publish_lease;

/**
 * Create or update a SCORM activity from a package in the caller's draft area.
 *
 * No core web service can do this: mod_scorm does not support quick creation. We go through the
 * same API as the activity settings form (create_module() / update_module()), so mod_scorm
 * validates and deploys the package itself, and learners' attempts survive a package update
 * as long as the SCO identifiers stay the same.
 *
 * The activity is found by its ID number in the course, under the course's lock, which makes the
 * call idempotent even when two runs make it at once: one activity is created, the other call
 * updates it or reports "unchanged". A course that already holds two activities with that ID
 * number (left by an older version, or copied by hand) is refused, naming them, rather than
 * updating one at random.
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class save_scorm extends external_api {
    /** @var string[] SCORM settings the caller may set, all integers. */
    const SETTINGS = [
        'popup', 'skipview', 'hidebrowse', 'hidetoc', 'nav', 'displaycoursestructure', 'displayattemptstatus',
        'grademethod', 'whatgrade', 'maxgrade', 'maxattempt', 'forcenewattempt', 'lastattemptlock', 'forcecompleted',
    ];

    /**
     * Parameters.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        $settings = [];
        foreach (self::SETTINGS as $name) {
            $settings[$name] = new external_value(PARAM_INT, "mod_scorm setting '$name'", VALUE_OPTIONAL);
        }
        $settings['completionstatusrequired'] = new external_value(
            PARAM_INT,
            'Status that completes the activity: 2 passed, 4 completed, 6 either; 0 no automatic completion',
            VALUE_DEFAULT,
            4
        );
        $settings['completionscorerequired'] = new external_value(
            PARAM_INT,
            'Minimum raw score that completes the activity; 0 for none',
            VALUE_DEFAULT,
            0
        );
        return new external_function_parameters([
            'courseid' => new external_value(PARAM_INT, 'Course id'),
            'section' => new external_value(PARAM_INT, 'Section number for a new activity', VALUE_DEFAULT, 0),
            'idnumber' => new external_value(PARAM_RAW_TRIMMED, 'ID number of the activity, unique in the course'),
            'name' => new external_value(PARAM_TEXT, 'Activity name'),
            'intro' => new external_value(PARAM_RAW, 'Description, HTML', VALUE_DEFAULT, ''),
            'draftitemid' => new external_value(
                PARAM_INT,
                'Draft item id holding the package (from /webservice/upload.php); 0 keeps the current package',
                VALUE_DEFAULT,
                0
            ),
            'settings' => new external_single_structure($settings, 'SCORM settings', VALUE_DEFAULT, []),
        ]);
    }

    /**
     * Create the activity, update it, or say it is already as asked.
     *
     * @param int $courseid
     * @param int $section
     * @param string $idnumber
     * @param string $name
     * @param string $intro
     * @param int $draftitemid
     * @param array $settings
     * @return array
     */
    public static function execute(
        int $courseid,
        int $section,
        string $idnumber,
        string $name,
        string $intro = '',
        int $draftitemid = 0,
        array $settings = []
    ): array {
        global $CFG, $DB, $USER;
        require_once($CFG->dirroot . '/course/lib.php');
        require_once($CFG->dirroot . '/course/modlib.php');
        require_once($CFG->dirroot . '/mod/scorm/lib.php');
        require_once($CFG->dirroot . '/mod/scorm/locallib.php');

        $params = self::validate_parameters(self::execute_parameters(), [
            'courseid' => $courseid, 'section' => $section, 'idnumber' => $idnumber, 'name' => $name,
            'intro' => $intro, 'draftitemid' => $draftitemid, 'settings' => $settings,
        ]);
        if ($params['idnumber'] === '') {
            throw new \invalid_parameter_exception('idnumber must not be empty');
        }
        if (\core_text::strlen($params['idnumber']) > 100) { // The column is 100 characters: fail before writing anything.
            throw new \moodle_exception('idnumbertoolong', 'local_coursepack', '', $params['idnumber']);
        }
        $course = get_course($params['courseid']);
        $context = \context_course::instance($course->id);
        self::validate_context($context);
        require_capability('moodle/course:manageactivities', $context);
        require_capability('mod/scorm:addinstance', $context);

        $package = self::draft_package($params['draftitemid']);
        $wanted = self::wanted_settings($params['settings'], $course);
        // Two runs saving the same activity at once both found none and both created one: the
        // look-up and the creation happen under the course's lock, on a fresh read of the course.
        [$cmid, $action] = publish_lease::locked(
            'course_' . $course->id,
            60,
            function () use ($course, $params, $package, $wanted, $DB): array {
                $course = $DB->get_record('course', ['id' => $course->id], '*', MUST_EXIST);
                $cm = self::find($course, $params['idnumber']);
                if (!$cm) {
                    if (!$package) {
                        throw new \moodle_exception('packagerequired', 'local_coursepack', '', $params['idnumber']);
                    }
                    course_create_sections_if_missing($course, $params['section']);
                    $moduleinfo = (object) array_merge(self::site_defaults(), $wanted, [
                        'modulename' => 'scorm',
                        'course' => $course->id,
                        'section' => $params['section'],
                        'visible' => 1,
                        'visibleoncoursepage' => 1,
                        'name' => $params['name'],
                        'introeditor' => ['text' => $params['intro'], 'format' => FORMAT_HTML,
                            'itemid' => file_get_unused_draft_itemid()],
                        'cmidnumber' => $params['idnumber'],
                        'scormtype' => SCORM_TYPE_LOCAL,
                        'packagefile' => $params['draftitemid'],
                        'packageurl' => '',
                        'updatefreq' => SCORM_UPDATE_NEVER,
                    ]);
                    $cmid = create_module($moduleinfo)->coursemodule;
                    $action = 'created';
                } else {
                    $scorm = $DB->get_record('scorm', ['id' => $cm->instance], '*', MUST_EXIST);
                    $newpackage = $package && $package->get_contenthash() !== $scorm->sha1hash;
                    $changed = $newpackage || $scorm->name !== $params['name'] || (string) $scorm->intro !== $params['intro']
                        || self::differs($scorm, $cm, $wanted);
                    $cmid = $cm->id;
                    $action = 'unchanged';
                    if ($changed) {
                        // What the settings form would load: every setting a manager chose (description shown on the
                        // course page, forced language, download, availability, tags…) stays as it is.
                        [$cm, , , $data] = get_moduleinfo_data(get_coursemodule_from_id('scorm', $cm->id), $course);
                        foreach ($wanted as $key => $value) {
                            $data->$key = $value;
                        }
                        // Without it, update_moduleinfo() keeps the old completion rules once anyone has completed.
                        $data->completionunlocked = 1;
                        $data->name = $params['name'];
                        $data->introeditor = ['text' => $params['intro'], 'format' => FORMAT_HTML,
                            'itemid' => file_get_unused_draft_itemid()];
                        $data->scormtype = SCORM_TYPE_LOCAL;
                        // Without a new package, mod_scorm keeps the stored one (packagefile empty).
                        $data->packagefile = $newpackage ? $params['draftitemid'] : 0;
                        update_module($data);
                        $action = 'updated';
                    }
                }
                return [$cmid, $action];
            }
        );

        $cm = get_coursemodule_from_id('scorm', $cmid, 0, false, MUST_EXIST);
        $scorm = $DB->get_record('scorm', ['id' => $cm->instance], 'id, sha1hash, revision', MUST_EXIST);
        return [
            'cmid' => (int) $cm->id,
            'instance' => (int) $scorm->id,
            'sha1hash' => (string) $scorm->sha1hash,
            'revision' => (int) $scorm->revision,
            'action' => $action,
        ];
    }

    /**
     * What the function returns.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'cmid' => new external_value(PARAM_INT, 'Course module id'),
            'instance' => new external_value(PARAM_INT, 'SCORM instance id'),
            'sha1hash' => new external_value(PARAM_ALPHANUM, 'SHA-1 of the stored package'),
            'revision' => new external_value(PARAM_INT, 'Package revision, +1 at each different package'),
            'action' => new external_value(PARAM_ALPHA, 'created, updated or unchanged'),
        ]);
    }

    /**
     * The package the caller uploaded to its draft area, checked as the settings form checks it.
     *
     * @param int $draftitemid
     * @return \stored_file|null
     */
    private static function draft_package(int $draftitemid): ?\stored_file {
        global $USER;
        if (!$draftitemid) {
            return null;
        }
        $usercontext = \context_user::instance($USER->id);
        $files = get_file_storage()->get_area_files($usercontext->id, 'user', 'draft', $draftitemid, 'id DESC', false);
        if (!$files) {
            throw new \moodle_exception('nopackage', 'local_coursepack', '', $draftitemid);
        }
        $package = reset($files);
        $errors = scorm_validate_package($package);
        if (!empty($errors)) {
            throw new \moodle_exception('invalidpackage', 'local_coursepack', '', implode(' ', $errors));
        }
        return $package;
    }

    /**
     * The SCORM activity of the course with this ID number, if any; several is an error.
     *
     * Read from the database, not from the course's module cache, which another request may have
     * built before this one's lock was taken.
     *
     * @param \stdClass $course
     * @param string $idnumber
     * @return \cm_info|null
     */
    private static function find(\stdClass $course, string $idnumber): ?\cm_info {
        global $DB;
        $cmids = $DB->get_fieldset_sql(
            'SELECT cm.id FROM {course_modules} cm JOIN {modules} m ON m.id = cm.module
              WHERE cm.course = :course AND m.name = :scorm AND cm.idnumber = :idnumber AND cm.deletioninprogress = 0
           ORDER BY cm.id',
            ['course' => $course->id, 'scorm' => 'scorm', 'idnumber' => $idnumber]
        );
        if (count($cmids) > 1) {
            throw new \moodle_exception(
                'duplicateactivity',
                'local_coursepack',
                '',
                (object) ['idnumber' => $idnumber, 'cmids' => implode(', ', $cmids)]
            );
        }
        return $cmids ? get_fast_modinfo($course)->get_cm((int) reset($cmids)) : null;
    }

    /**
     * Requested settings, with automatic completion only where the course and site track it.
     *
     * @param array $settings
     * @param \stdClass $course
     * @return array
     */
    private static function wanted_settings(array $settings, \stdClass $course): array {
        global $CFG;
        $wanted = [];
        foreach (self::SETTINGS as $name) {
            if (array_key_exists($name, $settings)) {
                $wanted[$name] = (int) $settings[$name];
            }
        }
        $status = (int) ($settings['completionstatusrequired'] ?? 4);
        $score = (int) ($settings['completionscorerequired'] ?? 0);
        if ($course->enablecompletion && !empty($CFG->enablecompletion) && ($status || $score)) {
            $wanted['completion'] = COMPLETION_TRACKING_AUTOMATIC;
            $wanted['completionview'] = 0;
            $wanted['completionexpected'] = 0;
            $wanted['completionstatusrequired'] = $status ?: null;
            $wanted['completionscorerequired'] = $score ?: null;
            $wanted['completionstatusallscos'] = 0;
        }
        return $wanted;
    }

    /**
     * Whether the stored activity differs from the wanted settings.
     *
     * @param \stdClass $scorm
     * @param \cm_info $cm
     * @param array $wanted
     * @return bool
     */
    private static function differs(\stdClass $scorm, \cm_info $cm, array $wanted): bool {
        foreach ($wanted as $key => $value) {
            $current = property_exists($scorm, $key) ? $scorm->$key : ($cm->$key ?? null);
            if ((int) $current !== (int) $value) { // Null and 0 both mean "none" here.
                return true;
            }
        }
        return false;
    }

    /**
     * mod_scorm's site defaults, for the settings the caller does not give.
     *
     * @return array
     */
    private static function site_defaults(): array {
        $config = get_config('scorm');
        return [
            'popup' => 0,
            'width' => $config->framewidth,
            'height' => $config->frameheight,
            'skipview' => $config->skipview,
            'hidebrowse' => $config->hidebrowse,
            'displaycoursestructure' => $config->displaycoursestructure,
            'hidetoc' => $config->hidetoc,
            'nav' => $config->nav,
            'navpositionleft' => $config->navpositionleft,
            'navpositiontop' => $config->navpositiontop,
            'displayattemptstatus' => $config->displayattemptstatus,
            'timeopen' => 0,
            'timeclose' => 0,
            'grademethod' => $config->grademethod,
            'maxgrade' => $config->maxgrade,
            'maxattempt' => $config->maxattempt,
            'whatgrade' => $config->whatgrade,
            'forcenewattempt' => $config->forcenewattempt,
            'lastattemptlock' => $config->lastattemptlock,
            'forcecompleted' => $config->forcecompleted,
            'masteryoverride' => $config->masteryoverride,
            'auto' => $config->auto,
            'autocommit' => $config->autocommit ?? 0,
        ];
    }
}
