<?php
// This file is part of CoursePack's companion plugin for Moodle.
//
// It is free software: you can redistribute it and/or modify it under the terms of the GNU
// General Public License as published by the Free Software Foundation, either version 3 of the
// License, or (at your option) any later version.

namespace local_coursepack\local;

/**
 * Finding the objects CoursePack owns: everything whose ID number starts with "coursepack:".
 *
 * One place, so that every function agrees on what is ours and never touches anything else.
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class objects {

    /** @var string The ID number prefix of every object CoursePack creates. */
    const PREFIX = 'coursepack:';

    /**
     * SQL condition "column starts with the prefix", with its parameters.
     *
     * @param string $column
     * @param string $name parameter name
     * @return array [sql, params]
     */
    public static function ours(string $column, string $name = 'cpprefix'): array {
        global $DB;
        return [$DB->sql_like($column, ':' . $name, true, true), [$name => $DB->sql_like_escape(self::PREFIX) . '%']];
    }

    /**
     * Whether an ID number belongs to a catalogue's namespace (packager/moodle/idnumbers.py).
     *
     * The default catalogue ('') owns "coursepack:<id>" (one colon: the first versions' names), a
     * catalogue "rh" owns "coursepack:rh:<id>"; catalogue ids never hold a colon.
     *
     * @param string $idnumber
     * @param string $catalogue catalogue id, '' for the default catalogue
     * @return bool
     */
    public static function in_catalogue(string $idnumber, string $catalogue): bool {
        $prefix = $catalogue === '' ? self::PREFIX : self::PREFIX . $catalogue . ':';
        if (strpos($idnumber, $prefix) !== 0) {
            return false;
        }
        $rest = substr($idnumber, strlen($prefix));
        return $rest !== '' && strpos($rest, ':') === false;
    }

    /**
     * The CoursePack SCORM activities of a course, by ID number.
     *
     * @param \stdClass $course
     * @return \cm_info[]
     */
    public static function activities(\stdClass $course): array {
        $found = [];
        foreach (get_fast_modinfo($course)->get_instances_of('scorm') as $cm) {
            if (strpos((string) $cm->idnumber, self::PREFIX) === 0) {
                $found[$cm->idnumber] = $cm;
            }
        }
        return $found;
    }
}
