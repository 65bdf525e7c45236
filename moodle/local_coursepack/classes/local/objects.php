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

namespace local_coursepack\local;

/**
 * Finding the objects CoursePack owns: everything whose ID number starts with "coursepack:".
 *
 * One place, so that every function agrees on what is ours and never touches anything else.
 * Several catalogues can share a site: each owns one namespace of ID numbers. The default
 * catalogue (no id) owns "coursepack:<id>" (one colon, as the first versions named them), a
 * catalogue "rh" owns "coursepack:rh:<id>"; catalogue ids never hold a colon, so no namespace
 * owns another's objects (packager/moodle/idnumbers.py says the same on the client's side).
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
     * A catalogue id as the client sends it: empty for the default catalogue, otherwise short
     * lowercase letters, digits and hyphens.
     *
     * @param string $catalogue
     * @return string
     */
    public static function catalogue(string $catalogue): string {
        if ($catalogue !== '' && !preg_match('/^[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?$/', $catalogue)) {
            throw new \invalid_parameter_exception('catalogue must be lowercase letters, digits and hyphens');
        }
        return $catalogue;
    }

    /**
     * The ID number prefix of a catalogue's objects.
     *
     * @param string $catalogue empty for the default catalogue
     * @return string
     */
    public static function prefix(string $catalogue): string {
        return $catalogue === '' ? self::PREFIX : self::PREFIX . $catalogue . ':';
    }

    /**
     * Whether a catalogue owns this ID number.
     *
     * @param string $idnumber
     * @param string $catalogue
     * @return bool
     */
    public static function owns(string $idnumber, string $catalogue): bool {
        $prefix = self::prefix($catalogue);
        if (strpos($idnumber, $prefix) !== 0) {
            return false;
        }
        $rest = substr($idnumber, strlen($prefix));
        return $rest !== '' && strpos($rest, ':') === false;
    }

    /**
     * The catalogue that owns an ID number, null for an object CoursePack does not own.
     *
     * @param string $idnumber
     * @return string|null
     */
    public static function catalogue_of(string $idnumber): ?string {
        if (strpos($idnumber, self::PREFIX) !== 0) {
            return null;
        }
        $parts = explode(':', substr($idnumber, strlen(self::PREFIX)));
        if (count($parts) === 1) {
            return $parts[0] === '' ? null : '';
        }
        return count($parts) === 2 && $parts[1] !== '' ? $parts[0] : null;
    }

    /**
     * SQL condition "column is in the catalogue's namespace", with its parameters.
     *
     * @param string $column
     * @param string $catalogue
     * @return array [sql, params]
     */
    public static function owned(string $column, string $catalogue): array {
        global $DB;
        $prefix = $DB->sql_like_escape(self::prefix($catalogue));
        $sql = $DB->sql_like($column, ':cpowned', true, true) . ' AND ' . $DB->sql_like($column, ':cpnested', true, true, true);
        return [$sql, ['cpowned' => $prefix . '%', 'cpnested' => $prefix . '%:%']];
    }

    /**
     * The SCORM activities of a course that the course's own catalogue owns, by ID number.
     *
     * @param \stdClass $course
     * @return \cm_info[]
     */
    public static function activities(\stdClass $course): array {
        $catalogue = self::catalogue_of((string) $course->idnumber);
        $found = [];
        foreach (get_fast_modinfo($course)->get_instances_of('scorm') as $cm) {
            if ($catalogue !== null && self::owns((string) $cm->idnumber, $catalogue)) {
                $found[$cm->idnumber] = $cm;
            }
        }
        return $found;
    }
}
