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
use local_coursepack\local\objects;
use local_coursepack\local\publish_lease;

/**
 * Give back the publish lease of a catalogue (see local\publish_lease).
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class release_publish_lock extends external_api {
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
            'leaseid' => new external_value(PARAM_ALPHANUM, 'The lease to give back'),
        ]);
    }

    /**
     * Release the lease if the caller still holds it.
     *
     * @param string $catalogue
     * @param string $leaseid
     * @return array
     */
    public static function execute(string $catalogue, string $leaseid): array {
        $params = self::validate_parameters(self::execute_parameters(), ['catalogue' => $catalogue, 'leaseid' => $leaseid]);
        $context = \context_system::instance();
        self::validate_context($context);
        require_capability('moodle/course:update', $context);
        return ['released' => publish_lease::release(objects::catalogue($params['catalogue']), $params['leaseid'])];
    }

    /**
     * What the function returns.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'released' => new external_value(PARAM_BOOL, 'Whether the caller held the lease and gave it back'),
        ]);
    }
}
