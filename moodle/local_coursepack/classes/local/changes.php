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
 * The plugin's own table of changed SCORM attempts, local_coursepack_changes.
 *
 * Listing the attempts changed after a key means finding each attempt's last change in time
 * order. mod_scorm's scorm_scoes_value has no index on its time, and the plugin must not add one
 * (Moodle's schema check reports it, and mod_scorm owns that table): so the plugin keeps one row
 * per attempt, (attemptid, scormid, cmid, timemodified), indexed on (timemodified, attemptid),
 * and lists through it. The rows are fed three ways:
 *
 * - mod_scorm's events (db/events.php): scoreraw_submitted and status_submitted carry the
 *   attempt id and fire for every raw score and every completed / passed / failed status, the
 *   facts a statement's id depends on; sco_launched starts every session, new or resumed;
 *   course_module_completion_updated covers a completion changed without a track (an override);
 * - a sweep (\local_coursepack\task\sweep_changes, every 10 minutes) for the writes that fire no
 *   event (an "incomplete" status, score.min / max, total_time at LMSFinish, an attempt synced
 *   from the Moodle app): it reads the tracks written since the last sweep, once, and touches the
 *   attempts whose last track is newer than their row;
 * - seeding on install and upgrade, one pass over the existing attempts, with the time of each
 *   attempt's last track: the key the listing used before this table, so that a cursor saved by
 *   an earlier version stays valid (nothing re-sent, nothing skipped); and after a course is
 *   restored (its attempts come back with no event, and old track times), timed now.
 *
 * A touched row takes the current time, never an older one: it then lies after any cursor a sync
 * has saved (those stay behind Moodle's clock by a margin), so the change is read on the next run.
 *
 * The rows hold no personal data (ids and times); they go when the activity or the attempt goes.
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class changes {
    /** @var string The table. */
    const TABLE = 'local_coursepack_changes';

    /**
     * Record that an attempt changed now.
     *
     * @param int $attemptid scorm_attempt id
     * @param int $scormid
     * @param int $cmid
     * @param int|null $time defaults to now
     */
    public static function touch(int $attemptid, int $scormid, int $cmid, ?int $time = null): void {
        global $DB;
        $time = $time ?? time();
        $row = $DB->get_record(self::TABLE, ['attemptid' => $attemptid], 'id, timemodified');
        if ($row) {
            if ((int) $row->timemodified < $time) {
                $DB->set_field(self::TABLE, 'timemodified', $time, ['id' => $row->id]);
            }
            return;
        }
        try {
            $DB->insert_record(self::TABLE, (object) ['attemptid' => $attemptid, 'scormid' => $scormid, 'cmid' => $cmid,
                'timemodified' => $time]);
        } catch (\dml_write_exception $e) {
            // Another request inserted it in between (two tabs): the unique key kept one row.
            $DB->set_field_select(
                self::TABLE,
                'timemodified',
                $time,
                'attemptid = ? AND timemodified < ?',
                [$attemptid, $time]
            );
        }
    }

    /**
     * Record that a user's latest attempt at a SCORM activity changed now (an event that names the
     * learner and the activity, not the attempt).
     *
     * @param int $scormid
     * @param int $userid
     * @param int $cmid
     */
    public static function touch_latest(int $scormid, int $userid, int $cmid): void {
        global $DB;
        $attempts = $DB->get_records('scorm_attempt', ['scormid' => $scormid, 'userid' => $userid], 'attempt DESC', 'id', 0, 1);
        foreach ($attempts as $attempt) {
            self::touch((int) $attempt->id, $scormid, $cmid);
        }
    }

    /**
     * Forget the rows of an activity's attempts that no longer exist (deleted attempts).
     *
     * @param int $cmid
     */
    public static function forget_deleted(int $cmid): void {
        global $DB;
        $DB->delete_records_select(
            self::TABLE,
            'cmid = :cmid AND NOT EXISTS (SELECT 1 FROM {scorm_attempt} a WHERE a.id = {' . self::TABLE . '}.attemptid)',
            ['cmid' => $cmid]
        );
    }

    /**
     * Forget every row of an activity (the activity is deleted).
     *
     * @param int $cmid
     */
    public static function forget_activity(int $cmid): void {
        global $DB;
        $DB->delete_records(self::TABLE, ['cmid' => $cmid]);
    }

    /**
     * Forget the rows of activities that no longer exist (a course deleted or emptied: core
     * deletes its activities without an event for each).
     */
    public static function forget_orphans(): void {
        global $DB;
        $DB->delete_records_select(
            self::TABLE,
            'NOT EXISTS (SELECT 1 FROM {course_modules} cm WHERE cm.id = {' . self::TABLE . '}.cmid)'
        );
    }

    /**
     * One row for every existing attempt that has none.
     *
     * @param int|null $time null: each attempt's last track (install, upgrade: the key earlier
     *     versions listed by); a time: that one (attempts restored now, after any saved cursor)
     */
    public static function seed(?int $time = null): void {
        global $DB;
        $timesql = $time === null ? 'MAX(v.timemodified)' : (string) $time;
        $DB->execute(
            "INSERT INTO {" . self::TABLE . "} (attemptid, scormid, cmid, timemodified)
             SELECT a.id, a.scormid, cm.id, $timesql
               FROM {scorm_attempt} a
               JOIN {scorm_scoes_value} v ON v.attemptid = a.id
               JOIN {modules} m ON m.name = 'scorm'
               JOIN {course_modules} cm ON cm.module = m.id AND cm.instance = a.scormid
              WHERE NOT EXISTS (SELECT 1 FROM {" . self::TABLE . "} c WHERE c.attemptid = a.id)
           GROUP BY a.id, a.scormid, cm.id"
        );
        if (!get_config('local_coursepack', 'sweptupto')) {
            set_config('sweptupto', time(), 'local_coursepack');
        }
    }

    /**
     * Touch the attempts with a track written since the last sweep and newer than their row.
     *
     * One read of the tracks written since then (scorm_scoes_value has no index on its time, so
     * this is a scan; every 10 minutes it costs what one listing page used to cost).
     *
     * @return int attempts touched
     */
    public static function sweep(): int {
        global $DB;
        $start = time();
        $since = (int) get_config('local_coursepack', 'sweptupto');
        $late = $DB->get_recordset_sql(
            "SELECT t.attemptid, a.scormid, cm.id AS cmid
               FROM (SELECT v.attemptid, MAX(v.timemodified) AS lasttrack
                       FROM {scorm_scoes_value} v
                      WHERE v.timemodified >= :since
                   GROUP BY v.attemptid) t
               JOIN {scorm_attempt} a ON a.id = t.attemptid
               JOIN {modules} m ON m.name = 'scorm'
               JOIN {course_modules} cm ON cm.module = m.id AND cm.instance = a.scormid
          LEFT JOIN {" . self::TABLE . "} c ON c.attemptid = t.attemptid
              WHERE c.id IS NULL OR c.timemodified < t.lasttrack",
            ['since' => $since]
        );
        $touched = 0;
        foreach ($late as $attempt) {
            self::touch((int) $attempt->attemptid, (int) $attempt->scormid, (int) $attempt->cmid, $start);
            $touched++;
        }
        $late->close();
        set_config('sweptupto', $start, 'local_coursepack');
        return $touched;
    }

    /**
     * Keep the site's address at install or upgrade time as the home of statement ids, once.
     *
     * Statement ids and learners' account homePage are built from it (get_status returns it): a
     * site later moved (https, another host name, a proxy) keeps the ids it had, and a site
     * upgraded from a version that built them from its address keeps exactly the same ids.
     */
    public static function keep_statement_home(): void {
        global $CFG;
        if (!get_config('local_coursepack', 'statementhome')) {
            set_config('statementhome', rtrim($CFG->wwwroot, '/'), 'local_coursepack');
        }
    }
}
