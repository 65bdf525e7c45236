<?php
// This file is part of CoursePack's companion plugin for Moodle.
//
// It is free software: you can redistribute it and/or modify it under the terms of the GNU
// General Public License as published by the Free Software Foundation, either version 3 of the
// License, or (at your option) any later version.

namespace local_coursepack\privacy;

/**
 * Privacy provider: the plugin stores nothing.
 *
 * It creates SCORM activities through mod_scorm and reads SCORM attempts that mod_scorm stores;
 * mod_scorm's own provider covers that data.
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class provider implements \core_privacy\local\metadata\null_provider {

    /**
     * Why the plugin stores no personal data.
     *
     * @return string the language string identifier
     */
    public static function get_reason(): string {
        return 'privacy:metadata';
    }
}
