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
 * Lay a course out as the catalogue orders it: one section per module, named after it.
 *
 * No core web service made for integrations renames a section or moves an activity, and a SCORM
 * activity created in a section beyond the last one leaves a gap in the numbering. Given the
 * modules in catalogue order, this puts module i alone in section i under its title, moves an
 * activity whose module was reordered, hides (never deletes: learners' records stay) the
 * CoursePack activities no longer in the list in a last, hidden section, and removes sections
 * left empty beyond them. Calling it twice changes nothing the second time.
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class arrange_course extends external_api {
    /**
     * Parameters.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'courseid' => new external_value(PARAM_INT, 'Course id'),
            'sections' => new external_multiple_structure(new external_single_structure([
                'idnumber' => new external_value(PARAM_RAW_TRIMMED, 'ID number of the activity of this section'),
                'name' => new external_value(PARAM_TEXT, 'Section name'),
            ]), 'Sections 1 to n, in order'),
            'retiredname' => new external_value(
                PARAM_TEXT,
                'Name of the hidden section that keeps removed modules',
                VALUE_DEFAULT,
                'CoursePack'
            ),
        ]);
    }

    /**
     * Arrange the course; say whether anything changed.
     *
     * @param int $courseid
     * @param array $sections
     * @param string $retiredname
     * @return array
     */
    public static function execute(int $courseid, array $sections, string $retiredname = 'CoursePack'): array {
        global $CFG;
        require_once($CFG->dirroot . '/course/lib.php');
        $params = self::validate_parameters(
            self::execute_parameters(),
            ['courseid' => $courseid, 'sections' => $sections, 'retiredname' => $retiredname]
        );
        $course = get_course($params['courseid']);
        $context = \context_course::instance($course->id);
        self::validate_context($context);
        require_all_capabilities(['moodle/course:update', 'moodle/course:manageactivities',
            'moodle/course:activityvisibility', 'moodle/course:sectionvisibility', 'moodle/course:movesections'], $context);

        $cms = objects::activities($course);
        foreach ($params['sections'] as $wanted) {
            if (!isset($cms[$wanted['idnumber']])) {
                throw new \moodle_exception('unknownactivity', 'local_coursepack', '', $wanted['idnumber']);
            }
        }
        $wantedids = array_column($params['sections'], 'idnumber');
        $retired = array_values(array_filter($cms, fn($cm) => !in_array($cm->idnumber, $wantedids, true)));
        $count = count($params['sections']);
        $last = $count + ($retired ? 1 : 0);
        $changed = course_create_sections_if_missing($course, range(0, max($last, 1)));

        $layout = [];
        foreach ($params['sections'] as $i => $wanted) {
            $layout[$i + 1] = [$wanted['name'], 1, [$cms[$wanted['idnumber']]]];
        }
        if ($retired) {
            $layout[$last] = [$params['retiredname'], 0, $retired];
        }
        foreach ($layout as $number => [$name, $visible, $members]) {
            $section = get_fast_modinfo($course)->get_section_info($number, MUST_EXIST);
            if ((string) $section->name !== $name) {
                course_update_section($course, $section, ['name' => $name]);
                $changed = true;
            }
            foreach ($members as $cm) {
                $cm = get_fast_modinfo($course)->get_cm($cm->id);
                if ((int) $cm->sectionnum !== $number) {
                    self::move($course, $cm, $section);
                    $changed = true;
                }
                if ((int) $cm->visible !== $visible) {
                    set_coursemodule_visible($cm->id, $visible);
                    $changed = true;
                }
            }
            $section = get_fast_modinfo($course)->get_section_info($number, MUST_EXIST);
            if ((int) $section->visible !== $visible) {
                course_update_section($course, $section, ['visible' => $visible]);
                $changed = true;
            }
        }
        // Sections beyond ours that nothing uses: the leftovers of numsections or of removed modules.
        $modinfo = get_fast_modinfo($course);
        foreach (array_reverse($modinfo->get_section_info_all()) as $section) {
            if ($section->section <= $last || !empty($modinfo->sections[$section->section]) || !empty($section->component)) {
                continue;
            }
            course_delete_section($course, $section, false);
            $changed = true;
        }
        return ['changed' => $changed];
    }

    /**
     * Move an activity to the end of a section, with the API this Moodle has.
     *
     * @param \stdClass $course
     * @param \cm_info $cm
     * @param \section_info $section
     */
    private static function move(\stdClass $course, \cm_info $cm, \section_info $section): void {
        $actions = class_exists('\core_courseformat\formatactions') ? \core_courseformat\formatactions::cm($course) : null;
        if ($actions && method_exists($actions, 'move_end_section')) {
            $actions->move_end_section($cm->id, $section->id);
        } else {
            moveto_module($cm, $section);
        }
    }

    /**
     * What the function returns.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'changed' => new external_value(PARAM_BOOL, 'Whether anything was changed'),
        ]);
    }
}
