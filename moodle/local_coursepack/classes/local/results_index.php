<?php
// This file is part of CoursePack's companion plugin for Moodle.
//
// It is free software: you can redistribute it and/or modify it under the terms of the GNU
// General Public License as published by the Free Software Foundation, either version 3 of the
// License, or (at your option) any later version.

namespace local_coursepack\local;

/**
 * The one index the plugin adds to mod_scorm's table: scorm_scoes_value (timemodified, attemptid).
 *
 * Listing the attempts changed after a key means finding each attempt's latest track in time
 * order. Without an index on the time, every page scans every track of the site (a million rows
 * for 50,000 attempts: a quarter of a second a page); with it, a page reads its own rows only.
 * It changes no data and no behaviour of mod_scorm, and is dropped when the plugin is uninstalled.
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class results_index {

    /**
     * The index, as XMLDB names it.
     *
     * @return array [table, index]
     */
    private static function definition(): array {
        return [new \xmldb_table('scorm_scoes_value'),
            new \xmldb_index('localcoursepacktime', XMLDB_INDEX_NOTUNIQUE, ['timemodified', 'attemptid'])];
    }

    /**
     * Add it, unless an index on these columns exists already.
     */
    public static function add(): void {
        global $DB;
        [$table, $index] = self::definition();
        $dbman = $DB->get_manager();
        if (!$dbman->index_exists($table, $index)) {
            $dbman->add_index($table, $index);
        }
    }

    /**
     * Drop it, if it is there.
     */
    public static function drop(): void {
        global $DB;
        [$table, $index] = self::definition();
        $dbman = $DB->get_manager();
        if ($dbman->index_exists($table, $index)) {
            $dbman->drop_index($table, $index);
        }
    }
}
