<?php
// This file is part of CoursePack's companion plugin for Moodle.
//
// It is free software: you can redistribute it and/or modify it under the terms of the GNU
// General Public License as published by the Free Software Foundation, either version 3 of the
// License, or (at your option) any later version.

/**
 * Version details.
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */

defined('MOODLE_INTERNAL') || die();

$plugin->component = 'local_coursepack';
$plugin->version   = 2026120700;
$plugin->requires  = 2023100900; // Moodle 4.3: SCORM tracks in scorm_attempt / scorm_scoes_value.
$plugin->maturity  = MATURITY_STABLE;
$plugin->release   = '1.2.0';
