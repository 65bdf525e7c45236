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
use local_coursepack\local\objects;

/**
 * Everything CoursePack owns on the site, as stored, in one call.
 *
 * Core functions return names through format_string() and summaries through format_text(), and
 * give no activity ID number in bulk: comparing a catalogue with them took one call per activity
 * and never matched texts with an apostrophe. This returns the stored values of every category,
 * course, section, self-enrolment instance and SCORM activity in one catalogue's namespace (see
 * objects), so that an unchanged catalogue is recognised as unchanged, a field edited by hand in
 * Moodle is seen and restored, and another catalogue's objects are neither seen nor touched.
 * Every activity is listed, two with one ID number included: the client names such duplicates
 * (left by an older version or made by hand) before it changes anything.
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class get_state extends external_api {
    /**
     * Parameters.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'catalogue' => new external_value(
                PARAM_RAW_TRIMMED,
                'Catalogue id, empty for the default catalogue',
                VALUE_DEFAULT,
                ''
            ),
        ]);
    }

    /**
     * The stored state of one catalogue's objects the caller may update.
     *
     * @param string $catalogue
     * @return array
     */
    public static function execute(string $catalogue = ''): array {
        global $CFG, $DB;
        require_once($CFG->dirroot . '/course/lib.php');
        $params = self::validate_parameters(self::execute_parameters(), ['catalogue' => $catalogue]);
        $catalogue = objects::catalogue($params['catalogue']);
        self::validate_context(\context_system::instance());

        [$like, $params] = objects::owned('idnumber', $catalogue);
        $categories = [];
        foreach ($DB->get_records_select('course_categories', $like, $params, 'id', 'id, idnumber, name, parent, visible') as $c) {
            $categories[] = ['id' => (int) $c->id, 'idnumber' => $c->idnumber, 'name' => $c->name,
                'parent' => (int) $c->parent, 'visible' => (int) $c->visible];
        }

        $courses = [];
        $activities = [];
        $records = $DB->get_records_select(
            'course',
            $like,
            $params,
            'id',
            'id, idnumber, shortname, fullname, summary, summaryformat, format, lang, enablecompletion, category, visible'
        );
        foreach ($records as $course) {
            if (!has_capability('moodle/course:update', \context_course::instance($course->id))) {
                continue;
            }
            $modinfo = get_fast_modinfo($course->id);
            $sections = [];
            foreach ($modinfo->get_section_info_all() as $section) {
                $sections[] = ['id' => (int) $section->id, 'section' => (int) $section->section,
                    'name' => (string) $section->name, 'visible' => (int) $section->visible,
                    'cmids' => array_map('intval', $modinfo->sections[$section->section] ?? [])];
            }
            $courses[] = [
                'id' => (int) $course->id, 'idnumber' => $course->idnumber, 'shortname' => $course->shortname,
                'fullname' => $course->fullname, 'summary' => (string) $course->summary,
                'summaryformat' => (int) $course->summaryformat, 'format' => $course->format, 'lang' => (string) $course->lang,
                'enablecompletion' => (int) $course->enablecompletion, 'categoryid' => (int) $course->category,
                'visible' => (int) $course->visible, 'sections' => $sections,
                'enrolment' => self::self_enrolment((int) $course->id),
            ];
            $cms = array_filter(
                $modinfo->get_instances_of('scorm'),
                fn($cm) => objects::owns((string) $cm->idnumber, $catalogue)
            );
            if (!$cms) {
                continue;
            }
            $scorms = $DB->get_records_list('scorm', 'id', array_map(fn($cm) => $cm->instance, array_values($cms)));
            foreach ($cms as $cm) {
                $scorm = $scorms[$cm->instance];
                $settings = [];
                foreach (save_scorm::SETTINGS as $name) {
                    $settings[$name] = (int) $scorm->$name;
                }
                $activities[] = [
                    'cmid' => (int) $cm->id, 'courseid' => (int) $course->id, 'idnumber' => $cm->idnumber,
                    'section' => (int) $cm->sectionnum, 'visible' => (int) $cm->visible,
                    'name' => $scorm->name, 'intro' => (string) $scorm->intro, 'sha1hash' => (string) $scorm->sha1hash,
                    'revision' => (int) $scorm->revision, 'version' => (string) $scorm->version,
                    'completion' => (int) $cm->completion,
                    'completionstatusrequired' => (int) $scorm->completionstatusrequired,
                    'completionscorerequired' => (int) $scorm->completionscorerequired,
                    'settings' => $settings,
                ];
            }
        }
        return ['categories' => $categories, 'courses' => $courses, 'activities' => $activities];
    }

    /**
     * The course's self-enrolment instances, with the cohort each is restricted to.
     *
     * @param int $courseid
     * @return array
     */
    private static function self_enrolment(int $courseid): array {
        global $DB;
        $found = [];
        foreach ($DB->get_records('enrol', ['courseid' => $courseid, 'enrol' => 'self'], 'id') as $instance) {
            $cohort = $instance->customint5 ? $DB->get_field('cohort', 'idnumber', ['id' => $instance->customint5]) : '';
            $found[] = ['id' => (int) $instance->id, 'enabled' => (int) ($instance->status == ENROL_INSTANCE_ENABLED),
                'cohort' => (string) $cohort];
        }
        return $found;
    }

    /**
     * What the function returns.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        $settings = [];
        foreach (save_scorm::SETTINGS as $name) {
            $settings[$name] = new external_value(PARAM_INT, "mod_scorm setting '$name'");
        }
        return new external_single_structure([
            'categories' => new external_multiple_structure(new external_single_structure([
                'id' => new external_value(PARAM_INT, 'Category id'),
                'idnumber' => new external_value(PARAM_RAW, 'ID number'),
                'name' => new external_value(PARAM_RAW, 'Name as stored'),
                'parent' => new external_value(PARAM_INT, 'Parent category id, 0 at the top'),
                'visible' => new external_value(PARAM_INT, '1 visible, 0 hidden'),
            ])),
            'courses' => new external_multiple_structure(new external_single_structure([
                'id' => new external_value(PARAM_INT, 'Course id'),
                'idnumber' => new external_value(PARAM_RAW, 'ID number'),
                'shortname' => new external_value(PARAM_RAW, 'Short name as stored'),
                'fullname' => new external_value(PARAM_RAW, 'Full name as stored'),
                'summary' => new external_value(PARAM_RAW, 'Summary as stored'),
                'summaryformat' => new external_value(PARAM_INT, 'Summary format'),
                'format' => new external_value(PARAM_PLUGIN, 'Course format'),
                'lang' => new external_value(PARAM_RAW, 'Forced language, empty for none'),
                'enablecompletion' => new external_value(PARAM_INT, 'Completion tracking'),
                'categoryid' => new external_value(PARAM_INT, 'Category id'),
                'visible' => new external_value(PARAM_INT, '1 visible, 0 hidden'),
                'sections' => new external_multiple_structure(new external_single_structure([
                    'id' => new external_value(PARAM_INT, 'Section id'),
                    'section' => new external_value(PARAM_INT, 'Section number'),
                    'name' => new external_value(PARAM_RAW, 'Name as stored, empty when unnamed'),
                    'visible' => new external_value(PARAM_INT, '1 visible, 0 hidden'),
                    'cmids' => new external_multiple_structure(
                        new external_value(PARAM_INT, 'Course module id'),
                        'Course modules in the section, in order'
                    ),
                ])),
                'enrolment' => new external_multiple_structure(new external_single_structure([
                    'id' => new external_value(PARAM_INT, 'Self-enrolment instance id'),
                    'enabled' => new external_value(PARAM_INT, '1 enabled, 0 disabled'),
                    'cohort' => new external_value(PARAM_RAW, 'ID number of the cohort it is restricted to, empty for none'),
                ])),
            ])),
            'activities' => new external_multiple_structure(new external_single_structure([
                'cmid' => new external_value(PARAM_INT, 'Course module id'),
                'courseid' => new external_value(PARAM_INT, 'Course id'),
                'idnumber' => new external_value(PARAM_RAW, 'Activity ID number'),
                'section' => new external_value(PARAM_INT, 'Section number'),
                'visible' => new external_value(PARAM_INT, '1 visible, 0 hidden'),
                'name' => new external_value(PARAM_RAW, 'Name as stored'),
                'intro' => new external_value(PARAM_RAW, 'Description as stored'),
                'sha1hash' => new external_value(PARAM_RAW, 'SHA-1 of the package'),
                'revision' => new external_value(PARAM_INT, 'Package revision'),
                'version' => new external_value(PARAM_RAW, 'SCORM version of the package'),
                'completion' => new external_value(PARAM_INT, 'Completion tracking: 0 none, 2 automatic'),
                'completionstatusrequired' => new external_value(PARAM_INT, 'Status that completes it: 2 passed, 4 completed'),
                'completionscorerequired' => new external_value(PARAM_INT, 'Minimum score that completes it, 0 for none'),
                'settings' => new external_single_structure($settings),
            ])),
        ]);
    }
}
