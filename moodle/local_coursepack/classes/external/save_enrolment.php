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

/**
 * Let agents in: self-enrolment on a course, optionally only for the members of one cohort.
 *
 * No core web service creates, enables or configures an enrolment instance. This keeps exactly
 * one self-enrolment instance enabled on the course with the site's defaults (role, enrolment
 * period), restricted to the cohort given by its ID number, or no cohort. Calling it twice
 * changes nothing the second time.
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class save_enrolment extends external_api {
    /**
     * Parameters.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'courseid' => new external_value(PARAM_INT, 'Course id'),
            'cohort' => new external_value(
                PARAM_RAW_TRIMMED,
                'ID number of the cohort allowed to enrol; empty for everyone',
                VALUE_DEFAULT,
                ''
            ),
        ]);
    }

    /**
     * Enable self-enrolment as asked; say whether anything changed.
     *
     * @param int $courseid
     * @param string $cohort
     * @return array
     */
    public static function execute(int $courseid, string $cohort = ''): array {
        global $DB;
        $params = self::validate_parameters(self::execute_parameters(), ['courseid' => $courseid, 'cohort' => $cohort]);
        $course = get_course($params['courseid']);
        $context = \context_course::instance($course->id);
        self::validate_context($context);
        require_capability('moodle/course:enrolconfig', $context);
        require_capability('enrol/self:config', $context);
        if (!enrol_is_enabled('self')) {
            throw new \moodle_exception('selfenroldisabled', 'local_coursepack');
        }
        $cohortid = 0;
        if ($params['cohort'] !== '') {
            $cohortid = (int) $DB->get_field('cohort', 'id', ['idnumber' => $params['cohort']]);
            if (!$cohortid) {
                throw new \moodle_exception('cohortnotfound', 'local_coursepack', '', $params['cohort']);
            }
        }
        $plugin = enrol_get_plugin('self');
        $changed = false;
        $instance = $DB->get_records('enrol', ['courseid' => $course->id, 'enrol' => 'self'], 'id', '*', 0, 1);
        $instance = reset($instance);
        if (!$instance) {
            $fields = $plugin->get_instance_defaults();
            $fields['status'] = ENROL_INSTANCE_ENABLED;
            $fields['customint5'] = $cohortid;
            $fields['customint6'] = 1; // Allow new enrolments.
            $plugin->add_instance($course, $fields);
            return ['changed' => true];
        }
        if (
            (int) $instance->customint5 !== $cohortid || (int) $instance->customint6 !== 1
                || (int) $instance->status !== ENROL_INSTANCE_ENABLED
        ) {
            $data = clone($instance);
            $data->expirynotify = $instance->notifyall ? 2 : $instance->expirynotify; // The form's reading of the two columns.
            $data->customint5 = $cohortid;
            $data->customint6 = 1;
            $data->status = ENROL_INSTANCE_ENABLED;
            $plugin->update_instance($instance, $data);
            $changed = true;
        }
        return ['changed' => $changed];
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
