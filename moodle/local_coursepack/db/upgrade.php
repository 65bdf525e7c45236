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

/**
 * Upgrade steps.
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

/**
 * Upgrade from an older version.
 *
 * @param int $oldversion
 * @return bool
 */
function xmldb_local_coursepack_upgrade(int $oldversion): bool {
    global $DB;
    $dbman = $DB->get_manager();

    if ($oldversion < 2026120102) {
        // 1.1.0 added two indexes to scorm_scoes_value here; 1.2.0 lists through its own table instead.
        upgrade_plugin_savepoint(true, 2026120102, 'local', 'coursepack');
    }

    if ($oldversion < 2026120700) {
        // The plugin's own table of changed attempts, instead of indexes on mod_scorm's table.
        $table = new xmldb_table('local_coursepack_changes');
        $table->add_field('id', XMLDB_TYPE_INTEGER, '10', null, XMLDB_NOTNULL, XMLDB_SEQUENCE, null);
        $table->add_field('attemptid', XMLDB_TYPE_INTEGER, '10', null, XMLDB_NOTNULL, null, null);
        $table->add_field('scormid', XMLDB_TYPE_INTEGER, '10', null, XMLDB_NOTNULL, null, null);
        $table->add_field('cmid', XMLDB_TYPE_INTEGER, '10', null, XMLDB_NOTNULL, null, null);
        $table->add_field('timemodified', XMLDB_TYPE_INTEGER, '10', null, XMLDB_NOTNULL, null, '0');
        $table->add_key('primary', XMLDB_KEY_PRIMARY, ['id']);
        $table->add_key('attemptid', XMLDB_KEY_FOREIGN_UNIQUE, ['attemptid'], 'scorm_attempt', ['id']);
        $table->add_key('scormid', XMLDB_KEY_FOREIGN, ['scormid'], 'scorm', ['id']);
        $table->add_key('cmid', XMLDB_KEY_FOREIGN, ['cmid'], 'course_modules', ['id']);
        $table->add_index('timemodified-attemptid', XMLDB_INDEX_NOTUNIQUE, ['timemodified', 'attemptid']);
        if (!$dbman->table_exists($table)) {
            $dbman->create_table($table);
        }
        // Every attempt already there, keyed as 1.1.0 listed it: saved sync cursors stay valid.
        \local_coursepack\local\changes::seed();

        // The indexes 1.1.0 added to mod_scorm's table (Moodle's schema check reported them).
        $scoesvalue = new xmldb_table('scorm_scoes_value');
        $indexes = [
            new xmldb_index('localcoursepacktime', XMLDB_INDEX_NOTUNIQUE, ['timemodified', 'attemptid', 'scoid']),
            new xmldb_index('localcoursepackattempt', XMLDB_INDEX_NOTUNIQUE, ['attemptid', 'timemodified']),
        ];
        foreach ($indexes as $index) {
            if ($dbman->index_exists($scoesvalue, $index)) {
                $dbman->drop_index($scoesvalue, $index);
            }
        }

        // Statement ids keep the address they were built from until now.
        \local_coursepack\local\changes::keep_statement_home();
        upgrade_plugin_savepoint(true, 2026120700, 'local', 'coursepack');
    }
    return true;
}
