<?php
// This file is part of CoursePack's companion plugin for Moodle.
//
// It is free software: you can redistribute it and/or modify it under the terms of the GNU
// General Public License as published by the Free Software Foundation, either version 3 of the
// License, or (at your option) any later version.

/**
 * Upgrade steps.
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

/**
 * Upgrade from an older version.
 *
 * @param int $oldversion
 * @return bool
 */
function xmldb_local_coursepack_upgrade(int $oldversion): bool {
    if ($oldversion < 2026120102) {
        // The indexes get_results reads along.
        \local_coursepack\local\results_index::add();
        upgrade_plugin_savepoint(true, 2026120102, 'local', 'coursepack');
    }
    return true;
}
