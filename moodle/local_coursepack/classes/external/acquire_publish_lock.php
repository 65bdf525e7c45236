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
 * Take or renew the publish lease of a catalogue (see local\publish_lease).
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class acquire_publish_lock extends external_api {
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
            'leaseid' => new external_value(PARAM_ALPHANUM, 'Lease id the client chose (random), the same to renew'),
            'host' => new external_value(PARAM_TEXT, 'The machine the command line runs on', VALUE_DEFAULT, ''),
            'duration' => new external_value(PARAM_INT, 'Seconds until the lease expires unless renewed', VALUE_DEFAULT, 120),
        ]);
    }

    /**
     * Take the lease if nobody else holds it; otherwise say who does, since when.
     *
     * @param string $catalogue
     * @param string $leaseid
     * @param string $host
     * @param int $duration
     * @return array
     */
    public static function execute(string $catalogue, string $leaseid, string $host = '', int $duration = 120): array {
        global $USER;
        $params = self::validate_parameters(
            self::execute_parameters(),
            ['catalogue' => $catalogue, 'leaseid' => $leaseid, 'host' => $host, 'duration' => $duration]
        );
        $context = \context_system::instance();
        self::validate_context($context);
        require_capability('moodle/course:update', $context);
        if (strlen($params['leaseid']) < 16 || strlen($params['leaseid']) > 64) {
            throw new \invalid_parameter_exception('leaseid must be 16 to 64 letters and digits');
        }
        return publish_lease::acquire(
            objects::catalogue($params['catalogue']),
            $params['leaseid'],
            fullname($USER),
            \core_text::substr($params['host'], 0, 100),
            $params['duration']
        );
    }

    /**
     * What the function returns.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'acquired' => new external_value(PARAM_BOOL, 'Whether the caller holds the lease now'),
            'name' => new external_value(PARAM_TEXT, 'Name of the user holding the lease'),
            'host' => new external_value(PARAM_TEXT, 'Machine of the run holding the lease'),
            'since' => new external_value(PARAM_INT, 'When the holder took the lease'),
            'expires' => new external_value(PARAM_INT, 'When the lease expires unless renewed'),
            'timenow' => new external_value(PARAM_INT, 'The server\'s time'),
        ]);
    }
}
