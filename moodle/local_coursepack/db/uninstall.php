<?php
// This file is part of CoursePack's companion plugin for Moodle.
//
// It is free software: you can redistribute it and/or modify it under the terms of the GNU
// General Public License as published by the Free Software Foundation, either version 3 of the
// License, or (at your option) any later version.

/**
 * Uninstall: the index that lists changed attempts quickly (see classes/local/results_index.php).
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

/**
 * Uninstall hook.
 *
 * @return bool
 */
function xmldb_local_coursepack_uninstall(): bool {
    \local_coursepack\local\results_index::drop();
    return true;
}
