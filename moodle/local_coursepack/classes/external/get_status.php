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
 * What the token's user may do, and which language packs the site has.
 *
 * core_webservice_get_site_info lists the service's functions, not the user's capabilities, so a
 * missing capability would only show up half-way through a publish. The client sends the
 * capabilities it needs and learns, before changing anything, which ones the user lacks at
 * system level (the categories do not exist before the first publish, so nothing narrower can
 * be checked then), and which of the cohorts the catalogue names do not exist: publishing stops
 * before it changes anything rather than half-way, at the enrolment step.
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class get_status extends external_api {
    /**
     * Parameters.
     *
     * @return external_function_parameters
     */
    public static function execute_parameters(): external_function_parameters {
        return new external_function_parameters([
            'capabilities' => new external_multiple_structure(
                new external_value(PARAM_CAPABILITY, 'A capability name'),
                'Capabilities to check',
                VALUE_DEFAULT,
                []
            ),
            'cohorts' => new external_multiple_structure(
                new external_value(PARAM_RAW_TRIMMED, 'A cohort ID number'),
                'Cohorts the catalogue names',
                VALUE_DEFAULT,
                []
            ),
        ]);
    }

    /**
     * Missing capabilities at system level, missing cohorts, installed languages, plugin versions.
     *
     * @param array $capabilities
     * @param array $cohorts
     * @return array
     */
    public static function execute(array $capabilities = [], array $cohorts = []): array {
        global $CFG, $DB;
        $params = self::validate_parameters(self::execute_parameters(), ['capabilities' => $capabilities, 'cohorts' => $cohorts]);
        $context = \context_system::instance();
        self::validate_context($context);
        $missing = [];
        foreach (array_unique($params['capabilities']) as $capability) {
            if (!get_capability_info($capability)) {
                $missing[] = ['name' => $capability, 'known' => false];
            } else if (!has_capability($capability, $context)) {
                $missing[] = ['name' => $capability, 'known' => true];
            }
        }
        $missingcohorts = [];
        foreach (array_unique($params['cohorts']) as $cohort) {
            if (!$DB->record_exists('cohort', ['idnumber' => $cohort])) {
                $missingcohorts[] = $cohort;
            }
        }
        $languages = [];
        foreach (get_string_manager()->get_list_of_translations(true) as $code => $name) {
            $languages[] = ['code' => (string) $code, 'name' => (string) $name];
        }
        return [
            'missing' => $missing,
            'missingcohorts' => $missingcohorts,
            'languages' => $languages,
            'version' => (int) get_config('local_coursepack', 'version'),
            'dbversion' => (int) get_config('local_coursepack', 'version'),
            'codeversion' => self::code_version(),
            // What the site says of itself, whatever address the caller used (sync's state and ids).
            'siteidentifier' => get_site_identifier(),
            'statementhome' => (string) (get_config('local_coursepack', 'statementhome') ?: rtrim($CFG->wwwroot, '/')),
        ];
    }

    /**
     * The version of the code this web server runs: version.php as PHP compiled it here.
     *
     * After an upgrade, PHP-FPM's OPcache can go on running the previous files (same mtime, or
     * validate_timestamps off) while the database holds the new version: version.php, read through
     * the same cache as every other file of the plugin, says which code really answers.
     *
     * @return int
     */
    private static function code_version(): int {
        $plugin = new \stdClass();
        include(\core_component::get_component_directory('local_coursepack') . '/version.php');
        return (int) ($plugin->version ?? 0);
    }

    /**
     * What the function returns.
     *
     * @return external_single_structure
     */
    public static function execute_returns(): external_single_structure {
        return new external_single_structure([
            'missing' => new external_multiple_structure(new external_single_structure([
                'name' => new external_value(PARAM_RAW, 'Capability the user lacks at system level'),
                'known' => new external_value(PARAM_BOOL, 'Whether the site defines this capability'),
            ])),
            'missingcohorts' => new external_multiple_structure(
                new external_value(PARAM_RAW, 'ID number of a cohort that does not exist')
            ),
            'languages' => new external_multiple_structure(new external_single_structure([
                'code' => new external_value(PARAM_RAW, 'Language code'),
                'name' => new external_value(PARAM_RAW, 'Language name'),
            ])),
            'version' => new external_value(PARAM_INT, 'Plugin version the database holds (as dbversion)'),
            'dbversion' => new external_value(PARAM_INT, 'Plugin version the database holds'),
            'codeversion' => new external_value(PARAM_INT, 'Plugin version of the code the web server runs'),
            'siteidentifier' => new external_value(PARAM_RAW, 'The site\'s own identifier ($CFG->siteidentifier)'),
            'statementhome' => new external_value(
                PARAM_RAW,
                'The site\'s address when the plugin was installed: home of statement ids'
            ),
        ]);
    }
}
