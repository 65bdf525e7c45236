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

namespace local_coursepack;

use local_coursepack\local\changes;

/**
 * mod_scorm's and core's events that change what local_coursepack_get_results lists.
 *
 * Registered in db/events.php as non-internal observers: they run once the writing transaction
 * is committed, so a row never names an attempt that a rollback took away, and never fails the
 * learner's request (see classes/local/changes.php for what each event covers).
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class observer {
    /**
     * A raw score or a completed / passed / failed status was stored: the event names the attempt.
     *
     * @param \mod_scorm\event\cmielement_submitted $event
     */
    public static function track_submitted(\mod_scorm\event\cmielement_submitted $event): void {
        $attemptid = (int) ($event->other['attemptid'] ?? 0);
        if ($attemptid > 0) {
            changes::touch($attemptid, (int) $event->objectid, (int) $event->contextinstanceid);
        }
    }

    /**
     * A learner opens a SCO (a new attempt or a resumed one): its first writes fire no event.
     *
     * @param \mod_scorm\event\sco_launched $event
     */
    public static function sco_launched(\mod_scorm\event\sco_launched $event): void {
        $scormid = (int) ($event->other['instanceid'] ?? 0);
        if ($scormid > 0) {
            changes::touch_latest($scormid, (int) $event->userid, (int) $event->contextinstanceid);
        }
    }

    /**
     * An attempt was deleted (by a teacher or a reset): its row goes.
     *
     * @param \mod_scorm\event\attempt_deleted $event
     */
    public static function attempt_deleted(\mod_scorm\event\attempt_deleted $event): void {
        changes::forget_deleted((int) $event->contextinstanceid);
    }

    /**
     * An activity's completion changed, perhaps with no track written (a manual override).
     *
     * @param \core\event\course_module_completion_updated $event
     */
    public static function completion_updated(\core\event\course_module_completion_updated $event): void {
        global $DB;
        $scormid = $DB->get_field_sql(
            "SELECT cm.instance
               FROM {course_modules} cm
               JOIN {modules} m ON m.id = cm.module AND m.name = 'scorm'
              WHERE cm.id = ?",
            [$event->contextinstanceid]
        );
        if ($scormid && $event->relateduserid) {
            changes::touch_latest((int) $scormid, (int) $event->relateduserid, (int) $event->contextinstanceid);
        }
    }

    /**
     * A course was restored, perhaps with learners' attempts: no event named them.
     *
     * @param \core\event\course_restored $event
     */
    public static function course_restored(\core\event\course_restored $event): void {
        changes::seed(time());
    }

    /**
     * A course was deleted or emptied (reset): its activities went without an event each.
     *
     * @param \core\event\course_content_deleted $event
     */
    public static function course_content_deleted(\core\event\course_content_deleted $event): void {
        changes::forget_orphans();
    }

    /**
     * A SCORM activity was deleted: its rows go.
     *
     * @param \core\event\course_module_deleted $event
     */
    public static function module_deleted(\core\event\course_module_deleted $event): void {
        if (($event->other['modulename'] ?? '') === 'scorm') {
            changes::forget_activity((int) $event->objectid);
        }
    }
}
